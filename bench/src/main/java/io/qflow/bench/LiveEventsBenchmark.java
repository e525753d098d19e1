package io.qflow.bench;

import io.qflow.engine.Engine;
import io.qflow.engine.EventSubscription;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionEvent;
import io.qflow.engine.ExecutionMonitor;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.StoredWorkflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What live events cost the engine: the 1,000-node chain of {@link EngineOverheadBenchmark}, with
 * nobody subscribed, with one that only takes execution status events, with one subscriber to
 * all executions that reads every event on its own thread, and with one that never reads (its
 * buffer fills, then events are dropped).
 *
 * <pre>java -cp 'bench/target/qflow-bench-*.jar:bench/target/lib/*' io.qflow.bench.LiveEventsBenchmark [runs]</pre>
 */
public final class LiveEventsBenchmark {

    private static final int NODES = 1000;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        try (Engine engine = Engine.builder().nodeTypes(new EngineOverheadBenchmark.Noop()).build()) {
            StoredWorkflow chain = engine.workflows().create(EngineOverheadBenchmark.chain());
            System.out.printf("live events, %d-node chain of no-op nodes, %d measured runs after warm-up (%d cores)%n",
                    NODES, runs, Runtime.getRuntime().availableProcessors());
            report("no subscriber", measure(engine, chain, runs), "");
            // what a component that only follows execution ends costs (the Python adapter does this)
            try (EventSubscription ends = engine.monitor().subscribeAll(null, ExecutionMonitor.DEFAULT_CAPACITY,
                    java.util.Set.of(ExecutionEvent.Type.EXECUTION_STATUS))) {
                report("1 ends-only", measure(engine, chain, runs), "(execution.status only, never read)");
            }

            AtomicLong received = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            try (EventSubscription reader = engine.monitor().subscribeAll(null, ExecutionMonitor.DEFAULT_CAPACITY)) {
                Thread drain = Thread.ofPlatform().name("bench-reader").start(() -> {
                    try {
                        while (!stop.get()) {
                            ExecutionEvent event = reader.next(Duration.ofMillis(100));
                            if (event != null) {
                                received.addAndGet(event.type() == ExecutionEvent.Type.DROPPED ? 0 : 1);
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                long droppedBefore = engine.monitor().statistics().eventsDropped();
                List<Double> reading = measure(engine, chain, runs);
                stop.set(true);
                drain.join();
                report("1 reader", reading, String.format("%,d events read, %,d dropped", received.get(),
                        engine.monitor().statistics().eventsDropped() - droppedBefore));
            }
            try (EventSubscription stalled = engine.monitor().subscribeAll(null, ExecutionMonitor.DEFAULT_CAPACITY)) {
                long droppedBefore = engine.monitor().statistics().eventsDropped();
                List<Double> stalling = measure(engine, chain, runs);
                report("1 stalled", stalling, String.format("%,d events dropped", engine.monitor().statistics().eventsDropped()
                        - droppedBefore));
            }
        }
    }

    private static List<Double> measure(Engine engine, StoredWorkflow workflow, int runs) throws Exception {
        for (int i = 0; i < 100; i++) { // warm-up: let the JIT compile the hot path first
            runOnce(engine, workflow);
        }
        List<Double> perNodeMicros = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            perNodeMicros.add(runOnce(engine, workflow) / 1000.0 / NODES);
        }
        Collections.sort(perNodeMicros);
        return perNodeMicros;
    }

    private static long runOnce(Engine engine, StoredWorkflow workflow) throws Exception {
        long start = System.nanoTime();
        Execution started = engine.executions().start(workflow.id(), null, "bench");
        Execution done = engine.executions().await(started.id(), Duration.ofMinutes(1));
        long elapsed = System.nanoTime() - start;
        if (done.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("benchmark run did not succeed: " + done.status() + " " + done.error());
        }
        return elapsed;
    }

    private static void report(String name, List<Double> sorted, String note) {
        System.out.printf("  %-14s median %6.2f us/node   (p10 %.2f, p90 %.2f)  %s%n", name, sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() / 10), sorted.get(sorted.size() * 9 / 10), note);
    }
}

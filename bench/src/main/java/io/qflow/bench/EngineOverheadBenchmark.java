package io.qflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Engine;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.StoredWorkflow;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Engine overhead per node, in process: a 1,000-node linear chain and a 1,000-node fan-out/fan-in of
 * no-op nodes, run on the real engine (validation cached, executions and every node run recorded in
 * the in-memory repository). Prints the median and spread of µs per node over repeated runs.
 *
 * <pre>java -cp 'bench/target/qflow-bench-*.jar:bench/target/lib/*' io.qflow.bench.EngineOverheadBenchmark [runs]</pre>
 */
public final class EngineOverheadBenchmark {

    private static final int NODES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Passes its input through: the cheapest possible node, so what remains is engine cost. */
    static final class Noop implements NodeType {
        private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("bench.noop")
                .input("in", DataType.ANY, "", false).output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public NodeResult execute(NodeContext context) {
            return NodeResult.of("out", context.input("in"));
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        try (Engine engine = Engine.builder().nodeTypes(new Noop()).build()) {
            StoredWorkflow chain = engine.workflows().create(chain());
            StoredWorkflow fan = engine.workflows().create(fanOutFanIn());
            System.out.printf("engine overhead, %d no-op nodes, %d measured runs after warm-up (%d cores)%n",
                    NODES, runs, Runtime.getRuntime().availableProcessors());
            report("linear chain", measure(engine, chain, runs));
            report("fan-out/fan-in", measure(engine, fan, runs));
        }
    }

    private static List<Double> measure(Engine engine, StoredWorkflow workflow, int runs) throws Exception {
        for (int i = 0; i < 100; i++) { // warm-up: let the JIT compile the hot path first
            runOnce(engine, workflow);
        }
        List<Double> perNodeMicros = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long nanos = runOnce(engine, workflow);
            perNodeMicros.add(nanos / 1000.0 / NODES);
        }
        Collections.sort(perNodeMicros);
        return perNodeMicros;
    }

    private static long runOnce(Engine engine, StoredWorkflow workflow) throws Exception {
        long start = System.nanoTime();
        Execution started = engine.executions().start(workflow.id(), JSON.createObjectNode().put("n", 1), "bench");
        Execution done = engine.executions().await(started.id(), Duration.ofMinutes(1));
        long elapsed = System.nanoTime() - start;
        if (done.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("benchmark run did not succeed: " + done.status() + " " + done.error());
        }
        return elapsed;
    }

    private static void report(String name, List<Double> sorted) {
        double median = sorted.get(sorted.size() / 2);
        double p10 = sorted.get(sorted.size() / 10);
        double p90 = sorted.get(sorted.size() * 9 / 10);
        System.out.printf("  %-15s median %6.2f us/node   (p10 %.2f, p90 %.2f; target <= 5 us/node)%n", name, median, p10, p90);
    }

    /** The 1,000-node chain of no-op nodes (also used by {@link LiveEventsBenchmark}). */
    static ObjectNode chain() {
        ObjectNode doc = JSON.createObjectNode().put("name", "bench chain");
        doc.putObject("settings").put("maxParallelism", 8);
        ArrayNode nodes = doc.putArray("nodes");
        ArrayNode connections = doc.putArray("connections");
        for (int i = 0; i < NODES; i++) {
            nodes.addObject().put("id", "n" + i).put("type", "bench.noop");
            if (i > 0) {
                connections.addObject().put("from", "n" + (i - 1) + ".out").put("to", "n" + i + ".in");
            }
        }
        return doc;
    }

    private static ObjectNode fanOutFanIn() {
        ObjectNode doc = JSON.createObjectNode().put("name", "bench fan");
        doc.putObject("settings").put("maxParallelism", 8);
        ArrayNode nodes = doc.putArray("nodes");
        ArrayNode connections = doc.putArray("connections");
        nodes.addObject().put("id", "source").put("type", "bench.noop");
        nodes.addObject().put("id", "sink").put("type", "bench.noop");
        for (int i = 0; i < NODES - 2; i++) {
            nodes.addObject().put("id", "n" + i).put("type", "bench.noop");
            connections.addObject().put("from", "source.out").put("to", "n" + i + ".in");
            connections.addObject().put("from", "n" + i + ".out").put("to", "sink.in");
        }
        return doc;
    }
}

package io.qflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.qflow.engine.Engine;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.StoredWorkflow;
import io.qflow.store.internal.DataSourceFactory;
import io.qflow.store.internal.JdbcExecutionRepository;
import io.qflow.store.internal.JdbcWorkflowRepository;
import io.qflow.store.internal.SchemaMigrator;
import io.qflow.store.internal.SqlDialect;
import io.qflow.store.internal.StoreJson;
import io.qflow.store.internal.StoreSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Heap per waiting execution: starts N executions of {@code input → approval → step} (the approval
 * node returns {@code NodeResult.waiting}, like core.approval) on the real engine and the H2 file
 * store, waits until every one is {@code waiting}, and compares the heap used after several full
 * GCs with the heap used before they started (same engine, workflow already validated, store warm).
 * Everything still referenced counts: the engine's in-memory run of each waiting execution and
 * whatever the store keeps (H2's page cache is bounded, 16 MB by default, and included). Then it
 * approves them all and checks they finish.
 *
 * <pre>java -cp 'bench/target/qflow-bench-*.jar:bench/target/lib/*' io.qflow.bench.WaitingMemoryBenchmark [count]</pre>
 */
public final class WaitingMemoryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("qflow-bench-wait");
        ObjectMapper mapper = StoreJson.newObjectMapper();
        try (HikariDataSource ds = DataSourceFactory.create(StoreSettings.of(StoreSettings.h2FileUrl(dir.resolve("qflow")), "sa", null))) {
            SchemaMigrator.migrate(ds, SqlDialect.of(ds));
            try (JdbcExecutionRepository executions = new JdbcExecutionRepository(ds, mapper);
                    Engine engine = Engine.builder().nodeTypes(BenchNodes.all())
                            .workflowRepository(new JdbcWorkflowRepository(ds, mapper)).executionRepository(executions).build()) {
                StoredWorkflow workflow = engine.workflows().create(approvalFlow());
                // warm-up: the same path once for a few hundred, then approved, so classes, JIT and pools exist before "before"
                approveAll(engine, startWaiting(engine, workflow, 500));
                long before = usedAfterGc();
                long t0 = System.nanoTime();
                List<String> ids = startWaiting(engine, workflow, count);
                double startSeconds = (System.nanoTime() - t0) / 1e9;
                long after = usedAfterGc();
                long perExecution = (after - before) / count;
                System.out.printf("memory per waiting execution, %d waiting (input -> approval -> step, H2 file store)%n", count);
                System.out.printf("  heap used after GC: before %.1f MB, with %d waiting %.1f MB%n", before / 1e6, count, after / 1e6);
                System.out.printf("  per waiting execution: %,d bytes (target < 10 KB = 10,240 bytes)%n", perExecution);
                System.out.printf("  started and parked %d executions in %.1f s%n", count, startSeconds);
                long t1 = System.nanoTime();
                approveAll(engine, ids);
                System.out.printf("  approved all %d: every one succeeded, in %.1f s%n", count, (System.nanoTime() - t1) / 1e9);
            }
        } finally {
            ConcurrentExecutionsBenchmark.deleteTree(dir);
        }
    }

    /** Starts n executions (at most 200 starting at once) and returns once every one is waiting. */
    private static List<String> startWaiting(Engine engine, StoredWorkflow workflow, int n) throws Exception {
        String[] started = new String[n];
        Semaphore inFlight = new Semaphore(200);
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            inFlight.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    ObjectNode input = JSON.createObjectNode().put("order", "ord-" + index).put("amount", 100 + index);
                    started[index] = engine.executions().start(workflow.id(), input, "bench").id();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<String> ids = List.of(started);
        for (String id : ids) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                Execution e = engine.executions().get(id).orElseThrow();
                if (e.status() == ExecutionStatus.WAITING) {
                    break;
                }
                if (e.status().isFinal() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("execution " + id + " is " + e.status() + ", not waiting");
                }
                Thread.sleep(2);
            }
        }
        return ids;
    }

    private static void approveAll(Engine engine, List<String> ids) throws Exception {
        Semaphore inFlight = new Semaphore(200);
        List<Thread> threads = new ArrayList<>();
        for (String id : ids) {
            inFlight.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    engine.executions().resume(id, "approval", "approve", null);
                    Execution done = engine.executions().await(id, Duration.ofMinutes(1));
                    if (done.status() != ExecutionStatus.SUCCEEDED) {
                        throw new IllegalStateException(id + " " + done.status());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static ObjectNode approvalFlow() {
        ObjectNode doc = JSON.createObjectNode().put("name", "bench: wait for approval");
        ArrayNode nodes = doc.putArray("nodes");
        nodes.addObject().put("id", "input").put("type", "bench.input");
        nodes.addObject().put("id", "approval").put("type", "bench.approval");
        nodes.addObject().put("id", "done").put("type", "bench.step");
        ArrayNode connections = doc.putArray("connections");
        connections.addObject().put("from", "input.out").put("to", "approval.in");
        connections.addObject().put("from", "approval.approve").put("to", "done.in");
        return doc;
    }
}

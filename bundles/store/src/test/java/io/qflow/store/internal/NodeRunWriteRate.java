package io.qflow.store.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures execution-repository writes per second on an H2 file (not a test: run it by hand, see
 * the README) with 1, 8, 32 and 64 concurrent writers (virtual threads, as the engine uses). Each
 * writer repeats what the engine does for a 3-node run: insert the execution with 3 pending node
 * runs, save each node run twice (running, then succeeded) and update the execution at the end:
 * 8 writes, each returning once committed.
 *
 * <p>Argument: an optional replacement for {@code WRITE_DELAY=0} in the URL, to compare settings.
 * System properties: {@code threads} (default {@code 1,8,32,64}) and {@code seconds} measured per
 * level (default 5, after 2 s of warm-up).
 */
public final class NodeRunWriteRate {

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("qflow-rate");
        String url = StoreSettings.h2FileUrl(data.resolve("db/qflow"));
        if (args.length > 0) {
            url = url.replace("WRITE_DELAY=0", args[0]);
        }
        int[] levels = Arrays.stream(System.getProperty("threads", "1,8,32,64").split(","))
                .mapToInt(level -> Integer.parseInt(level.trim())).toArray();
        double seconds = Double.parseDouble(System.getProperty("seconds", "5"));
        System.out.println("URL " + url);
        System.out.println(Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        try (var dataSource = DataSourceFactory.create(StoreSettings.of(url, null, null))) {
            SchemaMigrator.migrate(dataSource, SqlDialect.H2);
            ObjectMapper json = StoreJson.newObjectMapper();
            JdbcExecutionRepository executions = new JdbcExecutionRepository(dataSource, json);
            try {
                measure(executions, json, 8, 2, "warm-up");
                System.out.println("| writers | writes/s | median latency | p99 latency | writes per commit | file growth per write |");
                System.out.println("|---:|---:|---:|---:|---:|---:|");
                Path file = data.resolve("db/qflow.mv.db");
                for (int level : levels) {
                    long size = Files.size(file);
                    long written = measure(executions, json, level, seconds, null);
                    System.out.printf(Locale.ROOT, " %.1f KB |%n", (Files.size(file) - size) / 1024.0 / written);
                }
                System.out.printf(Locale.ROOT, "database file: %.1f MB%n", Files.size(file) / 1e6);
            } finally {
                if (executions instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        }
    }

    /** Prints a table row but its last cell; returns the writes made. */
    private static long measure(JdbcExecutionRepository executions, ObjectMapper json, int writers, double seconds,
            String label) throws InterruptedException {
        ObjectNode inputs = json.createObjectNode().put("x", 42).put("text", "hello world");
        ObjectNode outputs = json.createObjectNode();
        outputs.putObject("result").put("value", 84).putArray("items").add(1).add(2).add(3);
        long[] commitsAndWrites = writerCounts(executions);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(writers);
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[writers];
        String prefix = "ex-" + System.nanoTime() + "-";
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            long[] own = new long[1 << 16];
            latencies.add(own);
            Thread.ofVirtual().start(() -> {
                try {
                    int n = 0;
                    for (int e = 0; !stop.get(); e++) {
                        String id = prefix + writer + "-" + e;
                        List<NodeRun> pending = new ArrayList<>();
                        for (int node = 0; node < 3; node++) {
                            pending.add(new NodeRun("n" + node, "core.python", NodeRunStatus.PENDING, 0, null, null,
                                    null, null, null, null));
                        }
                        Instant created = Instant.now();
                        long t = System.nanoTime();
                        executions.insert(new Execution(id, "wf", 1, ExecutionStatus.RUNNING, "manual", inputs,
                                created, created, null, null, null, pending));
                        n = record(own, n, t);
                        for (int node = 0; node < 3; node++) {
                            Instant started = Instant.now();
                            t = System.nanoTime();
                            executions.saveNodeRun(id, new NodeRun("n" + node, "core.python", NodeRunStatus.RUNNING, 1,
                                    started, null, inputs, null, null, null));
                            n = record(own, n, t);
                            t = System.nanoTime();
                            executions.saveNodeRun(id, new NodeRun("n" + node, "core.python", NodeRunStatus.SUCCEEDED,
                                    1, started, Instant.now(), inputs, outputs,
                                    List.of(new LogLine(started, "info", "done")), null));
                            n = record(own, n, t);
                        }
                        t = System.nanoTime();
                        executions.updateExecution(new Execution(id, "wf", 1, ExecutionStatus.SUCCEEDED, "manual",
                                null, created, created, Instant.now(), outputs, null, List.of()));
                        n = record(own, n, t);
                    }
                    counts[writer] = n;
                } finally {
                    finished.countDown();
                }
            });
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        finished.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (label != null) {
            System.out.println(label + " done");
            return 0;
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[0];
        for (int w = 0; w < writers; w++) {
            int recorded = Math.min(counts[w], latencies.get(w).length);
            int at = all.length;
            all = Arrays.copyOf(all, at + recorded);
            System.arraycopy(latencies.get(w), 0, all, at, recorded);
        }
        Arrays.sort(all);
        long[] after = writerCounts(executions);
        String perCommit = after == null ? "1 (no group commit)"
                : String.format(Locale.ROOT, "%.1f", (double) (after[1] - commitsAndWrites[1]) / (after[0] - commitsAndWrites[0]));
        System.out.printf(Locale.ROOT, "| %d | %,.0f | %.2f ms | %.2f ms | %s |", writers, total / elapsed,
                all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, perCommit);
        return total;
    }

    private static int record(long[] latencies, int n, long started) {
        if (n < latencies.length) {
            latencies[n] = System.nanoTime() - started;
        }
        return n + 1;
    }

    /** Transactions and writes of the repository's group-commit writer, or null for a store without one. */
    private static long[] writerCounts(JdbcExecutionRepository executions) {
        try {
            GroupCommitWriter writer = executions.writer();
            return new long[] {writer.batches(), writer.writes()};
        } catch (LinkageError before) {
            return null; // run against the store as it was before group commit
        }
    }
}

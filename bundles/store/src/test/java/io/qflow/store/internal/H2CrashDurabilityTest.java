package io.qflow.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.StoredWorkflow;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that returned survives a JVM that dies without closing the database (kill -9, OOM,
 * power-off of the process). H2 has no write-ahead log: this is what {@code WRITE_DELAY=0} buys.
 * The child writes workflows one by one, then executions from many threads at once through the
 * group-commit writer, noting each write that returned; it halts while writes are in flight.
 */
class H2CrashDurabilityTest {

    private static final int WORKFLOWS = 40;
    private static final int WRITER_THREADS = 32;
    /** The child halts once this many execution writes returned, with the threads still writing. */
    private static final int ACKS_BEFORE_HALT = 3_000;

    /*
     * The writes of one execution, in order; the child notes "<execution id> <step>" when step
     * returned. A later step of the same execution may overwrite an earlier one.
     */
    private static final int INSERTED = 1;
    private static final int A_RUNNING = 2;
    private static final int A_SUCCEEDED = 3;
    private static final int B_RUNNING = 4;
    private static final int B_SUCCEEDED = 5;
    private static final int FINISHED = 6;

    @TempDir
    Path data;

    @Test
    void everyReturnedWriteSurvivesAHaltedJvm() throws Exception {
        String url = StoreSettings.h2FileUrl(data.resolve("db/qflow"));
        Path acks = data.resolve("acks.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), url, acks.toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("child.log").toFile())
                .start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the writer did not halt; see " + data.resolve("child.log"));
        assertEquals(3, child.exitValue(), "the writer should halt with code 3; see " + data.resolve("child.log"));

        Map<String, Integer> acknowledged = new HashMap<>();
        for (String line : Files.readAllLines(acks)) {
            String[] parts = line.split(" ");
            acknowledged.merge(parts[0], Integer.parseInt(parts[1]), Math::max);
        }
        int acknowledgedWrites = Files.readAllLines(acks).size();
        assertTrue(acknowledgedWrites >= ACKS_BEFORE_HALT, "only " + acknowledgedWrites + " acknowledged writes");

        try (JdbcStoreComponent store = new JdbcStoreComponent(StoreSettings.of(url, null, null));
                JdbcExecutionRepository executions = new JdbcExecutionRepository(store)) {
            List<StoredWorkflow> found = new JdbcWorkflowRepository(store).list();
            assertEquals(WORKFLOWS, found.size());

            List<String> lost = new ArrayList<>();
            for (Map.Entry<String, Integer> ack : acknowledged.entrySet()) {
                Optional<Execution> execution = executions.find(ack.getKey());
                if (execution.isEmpty() || stepOf(execution.get()) < ack.getValue()) {
                    lost.add(ack.getKey() + " acknowledged step " + ack.getValue() + ", stored "
                            + execution.map(H2CrashDurabilityTest::stepOf).orElse(0));
                }
            }
            assertEquals(List.of(), lost, "acknowledged writes lost (of " + acknowledgedWrites + " acknowledged)");
            // What this test shows is what the store promises, read by the engine to put its journal in front.
            assertEquals(io.qflow.engine.spi.ExecutionRepository.Durability.PROCESS_CRASH, executions.durability());
            System.out.printf("crash test: %d acknowledged execution writes over %d executions, none lost%n",
                    acknowledgedWrites, acknowledged.size());
        }
    }

    /** The last step whose write the stored execution shows. */
    private static int stepOf(Execution execution) {
        if (execution.status() == ExecutionStatus.SUCCEEDED) {
            return FINISHED;
        }
        NodeRunStatus a = execution.nodes().get(0).status();
        NodeRunStatus b = execution.nodes().get(1).status();
        if (b == NodeRunStatus.SUCCEEDED) {
            return B_SUCCEEDED;
        }
        if (b == NodeRunStatus.RUNNING) {
            return B_RUNNING;
        }
        if (a == NodeRunStatus.SUCCEEDED) {
            return A_SUCCEEDED;
        }
        if (a == NodeRunStatus.RUNNING) {
            return A_RUNNING;
        }
        return INSERTED;
    }

    /**
     * Writes, then halts the JVM at once: no shutdown hooks, no close. Arguments: the database URL
     * and the file to note acknowledged writes in (each line written straight to the file, so it
     * outlives the JVM like the database does).
     */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            JdbcStoreComponent store = new JdbcStoreComponent(StoreSettings.of(args[0], null, null));
            JdbcWorkflowRepository workflows = new JdbcWorkflowRepository(store);
            for (int i = 0; i < WORKFLOWS; i++) {
                workflows.insert(StoreContractTest.workflow("wf-" + i, 1, Instant.now()));
            }

            JdbcExecutionRepository executions = new JdbcExecutionRepository(store);
            AtomicInteger acks = new AtomicInteger();
            try (FileChannel ackFile = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (int t = 0; t < WRITER_THREADS; t++) {
                    int thread = t;
                    Thread.ofVirtual().start(() -> {
                        try {
                            for (int e = 0; ; e++) {
                                writeExecution(executions, "ex-" + thread + "-" + e, ackFile, acks);
                            }
                        } catch (Throwable failure) {
                            failure.printStackTrace();
                            Runtime.getRuntime().halt(4);
                        }
                    });
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (acks.get() < ACKS_BEFORE_HALT && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                System.out.println("halting after " + acks.get() + " acknowledged writes");
                Runtime.getRuntime().halt(acks.get() >= ACKS_BEFORE_HALT ? 3 : 5);
            }
        }

        private static void writeExecution(JdbcExecutionRepository executions, String id, FileChannel ackFile,
                AtomicInteger acks) throws IOException {
            ObjectNode inputs = StoreContractTest.object("{\"x\":42}");
            Instant now = Instant.now();
            executions.insert(new Execution(id, "wf-0", 1, ExecutionStatus.RUNNING, "manual", inputs, now, now, null,
                    null, null, List.of(pending("a"), pending("b"))));
            ack(ackFile, acks, id, INSERTED);
            int step = A_RUNNING;
            for (String node : List.of("a", "b")) {
                Instant started = Instant.now();
                executions.saveNodeRun(id, new NodeRun(node, "core.python", NodeRunStatus.RUNNING, 1, started, null,
                        inputs, null, null, null));
                ack(ackFile, acks, id, step++);
                executions.saveNodeRun(id, new NodeRun(node, "core.python", NodeRunStatus.SUCCEEDED, 1, started,
                        Instant.now(), inputs, StoreContractTest.object("{\"y\":84}"),
                        List.of(new LogLine(started, "info", "done")), null));
                ack(ackFile, acks, id, step++);
            }
            executions.updateExecution(new Execution(id, "wf-0", 1, ExecutionStatus.SUCCEEDED, "manual", null, now,
                    now, Instant.now(), StoreContractTest.object("{\"y\":84}"), null, List.of()));
            ack(ackFile, acks, id, FINISHED);
        }

        private static NodeRun pending(String node) {
            return new NodeRun(node, "core.python", NodeRunStatus.PENDING, 0, null, null, null, null, null, null);
        }

        private static void ack(FileChannel file, AtomicInteger acks, String id, int step) throws IOException {
            ByteBuffer line = ByteBuffer.wrap((id + " " + step + "\n").getBytes(StandardCharsets.US_ASCII));
            synchronized (file) {
                while (line.hasRemaining()) {
                    file.write(line);
                }
            }
            acks.incrementAndGet();
        }
    }
}

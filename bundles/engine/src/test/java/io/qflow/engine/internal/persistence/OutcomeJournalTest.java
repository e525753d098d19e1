package io.qflow.engine.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ForwardingExecutionRepository;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.internal.EngineAssembly;
import io.qflow.engine.internal.catalog.NodeTypeRegistry;
import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import io.qflow.engine.internal.memory.InMemoryWorkflowRepository;
import io.qflow.engine.spi.ExecutionRepository;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outcome journal of batched runs: what is in it after a crash, and when its files go. */
class OutcomeJournalTest {

    private static final ObjectMapper JSON = OutcomeJournal.newObjectMapper();

    @TempDir
    Path dir;

    @Test
    void outcomesAreReadBackExactlyAsTheyWereAppendedTheLastOfEachExecutionWinning() throws Exception {
        Execution failed = failed("ex-1");
        Execution succeeded = succeeded("ex-2", "ünïcødé ✓ \u0001 \"quoted\"");
        Execution again = succeeded("ex-1", "the second outcome of ex-1");
        try (OutcomeJournal journal = OutcomeJournal.open(dir, JSON)) {
            journal.append(journal.reserve(), failed);
            journal.append(journal.reserve(), succeeded);
            journal.append(journal.reserve(), again);
        } // closed without releasing: as after a crash, the records stay

        List<Execution> read = OutcomeJournal.read(dir, JSON);

        assertEquals(List.of(succeeded, again), read);
        assertEquals(List.of(failed, running("ex-3")), readAll(List.of(failed, running("ex-3"))),
                "errors, stacks, pending node runs and nulls survive the round trip");
    }

    @Test
    void anAppendByAnInterruptedThreadIsWrittenAndTheJournalStaysUsable() throws Exception {
        // A run's thread can be interrupted (a cancel, the engine stopping) just as it appends.
        try (OutcomeJournal journal = OutcomeJournal.open(dir, JSON)) {
            try (var runThread = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                boolean stillInterrupted = runThread.submit(() -> {
                    Thread.currentThread().interrupt();
                    journal.append(journal.reserve(), succeeded("ex-1", "interrupted"));
                    return Thread.currentThread().isInterrupted();
                }).get();
                assertTrue(stillInterrupted, "the interrupt is left for the run to see");
            }
            journal.append(journal.reserve(), succeeded("ex-2", "after"));
        }
        assertEquals(List.of("ex-1", "ex-2"), OutcomeJournal.read(dir, JSON).stream().map(Execution::id).toList());
    }

    @Test
    void anOutcomeJournaledByTheEarlierRecordFormIsReadAllTheSame() throws Exception {
        // Before engine 1.5: instants as [epochSecond, nano], statuses as the enum's names.
        String earlier = """
                {"id":"ex-9","workflowId":"wf","workflowVersion":2,"status":"FAILED","trigger":"manual","input":{"a":1},
                 "createdAt":[1795428000,123456789],"startedAt":[1795428000,123456789],"finishedAt":[1795428001,0],
                 "outputs":null,"error":{"message":"boom","type":null,"code":"node.failed","stack":null,"nodeId":"b"},
                 "nodes":[{"nodeId":"b","type":"t.fail","status":"FAILED","attempts":2,"startedAt":[1795428000,5],
                 "finishedAt":null,"inputs":{"in":1},"outputs":null,"logs":[{"time":[1795428000,7],"level":"info","message":"x"}],
                 "error":null,"cached":false}]}""";

        Execution read = new OutcomeCodec(JSON).read(earlier.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertEquals(ExecutionStatus.FAILED, read.status());
        assertEquals(Instant.ofEpochSecond(1795428000, 123456789), read.createdAt());
        assertEquals(Instant.ofEpochSecond(1795428001), read.finishedAt());
        assertEquals(new ErrorInfo("boom", null, "node.failed", null, "b"), read.error());
        NodeRun node = read.nodes().getFirst();
        assertEquals(NodeRunStatus.FAILED, node.status());
        assertEquals(2, node.attempts());
        assertEquals(Instant.ofEpochSecond(1795428000, 5), node.startedAt());
        assertEquals(List.of(new LogLine(Instant.ofEpochSecond(1795428000, 7), "info", "x")), node.logs());
    }

    @Test
    void recordsAreTheExecutionsJsonFormAsTheRestApiShowsIt() throws Exception {
        Execution failed = failed("ex-1");
        byte[] record = new OutcomeCodec(JSON).write(failed).json();
        ObjectMapper api = JSON.copy().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .registerModule(new io.qflow.engine.ExecutionJsonModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        assertEquals(api.writeValueAsString(failed), new String(record, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aRecordCutShortByACrashOrDamagedEndsItsFile() throws Exception {
        try (OutcomeJournal journal = OutcomeJournal.open(dir, JSON)) {
            journal.append(journal.reserve(), succeeded("ex-1", "a"));
            journal.append(journal.reserve(), succeeded("ex-2", "b"));
        }
        Path file = onlyFile();
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 5); // the second record's write was cut short: never acknowledged
        }
        assertEquals(List.of("ex-1"), ids(OutcomeJournal.read(dir, JSON)));

        byte[] bytes = Files.readAllBytes(file);
        bytes[12] ^= 0x20; // a flipped bit inside the first record's JSON
        Files.write(file, bytes);
        assertEquals(List.of(), OutcomeJournal.read(dir, JSON), "a record whose checksum fails is not believed");
    }

    @Test
    void aFileGoesOnceEveryExecutionInItIsStoredAndNotBefore() throws Exception {
        OutcomeJournal journal = OutcomeJournal.open(dir, JSON, 1); // a new file after every write
        OutcomeJournal.Segment first = journal.reserve();
        journal.append(first, succeeded("ex-1", "a"));
        OutcomeJournal.Segment second = journal.reserve();
        journal.append(second, succeeded("ex-2", "b"));
        OutcomeJournal.Segment third = journal.reserve();
        journal.append(third, succeeded("ex-3", "c"));
        assertEquals(4, files().size(), "one file per write at this size, and the next one, empty");

        journal.release(first);
        journal.release(third);
        journal.close();

        assertEquals(List.of("ex-2"), ids(OutcomeJournal.read(dir, JSON)), "only the record not stored yet is kept");
        assertEquals(1, files().size());

        OutcomeJournal.delete(dir);
        try (OutcomeJournal reopened = OutcomeJournal.open(dir, JSON)) {
            OutcomeJournal.Segment segment = reopened.reserve();
            reopened.append(segment, succeeded("ex-4", "d"));
            reopened.release(segment);
        }
        assertEquals(List.of(), files(), "everything stored: nothing left to read at the next start");
    }

    @Test
    void aFinalStatusReturnsOnceJournaledAndAfterACrashTheOutcomeIsRestoredIntoTheStore() throws Exception {
        CountDownLatch storeMayWrite = new CountDownLatch(1);
        InMemoryExecutionRepository disk = new InMemoryExecutionRepository();
        ExecutionRepository slowStore = new ForwardingExecutionRepository(disk) {
            @Override
            public void saveChanges(List<Changes> changes) {
                try {
                    storeMayWrite.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.saveChanges(changes);
            }
        };
        Execution running = running("ex-1");
        Execution done = succeeded("ex-1", "done");
        WriteBehindExecutions writer = new WriteBehindExecutions(slowStore, 0);
        writer.journal(OutcomeJournal.open(dir, JSON));
        writer.accept(running);
        writer.saveNodeRun("ex-1", done.nodes().get(0));

        writer.updateExecution(done); // returns although the store cannot write yet
        writer.flush("ex-1");

        assertEquals(Optional.empty(), disk.find("ex-1"), "not in the store yet");
        assertEquals(Optional.of(done), writer.find("ex-1"), "read current from memory");
        // A kill -9 now: the next start finds the outcome in the journal and writes it into the store.
        List<Execution> journaled = OutcomeJournal.read(dir, JSON);
        assertEquals(List.of(done), journaled);
        InMemoryExecutionRepository afterCrash = new InMemoryExecutionRepository();
        try (WriteBehindExecutions restarted = new WriteBehindExecutions(afterCrash, 0)) {
            assertEquals(1, restarted.restore(journaled));
            assertEquals(Optional.of(done), afterCrash.find("ex-1"));
            assertEquals(0, restarted.restore(journaled), "already stored as final: nothing to do");
        }

        storeMayWrite.countDown();
        writer.close(); // writes what it holds; its journal file goes with the last record it needed
        assertEquals(Optional.of(done), disk.find("ex-1"));
        assertEquals(List.of(), files());
    }

    @Test
    void restoringOverAnExecutionStoredAsRunningReplacesItsStatusAndNodeRuns() throws Exception {
        InMemoryExecutionRepository disk = new InMemoryExecutionRepository();
        disk.insert(running("ex-1")); // an asynchronous start is stored before its id is handed out
        Execution done = succeeded("ex-1", "done");
        try (WriteBehindExecutions restarted = new WriteBehindExecutions(disk, 0)) {
            assertEquals(1, restarted.restore(List.of(done)));
        }
        Execution stored = disk.find("ex-1").orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, stored.status());
        assertEquals(done.outputs(), stored.outputs());
        assertEquals(done.nodes(), stored.nodes());
    }

    @Test
    void withoutAJournalAFinalStatusStillWaitsForTheStore() throws Exception {
        InMemoryExecutionRepository disk = new InMemoryExecutionRepository();
        try (WriteBehindExecutions writer = new WriteBehindExecutions(disk, 600_000)) {
            writer.accept(running("ex-1"));
            writer.updateExecution(succeeded("ex-1", "done"));
            assertTrue(disk.find("ex-1").isPresent(), "written before updateExecution returned");
        }
    }

    @Test
    void theEngineJournalsOnlyInFrontOfAStoreWhoseCommitsSurviveNoMoreThanAKilledProcess() throws Exception {
        Execution leftOver = succeeded("ex-left", "answered before a crash");
        try (OutcomeJournal journal = OutcomeJournal.open(dir, JSON)) {
            journal.append(journal.reserve(), leftOver);
        }
        InMemoryExecutionRepository forcedToDisk = new InMemoryExecutionRepository();
        EngineAssembly engine = engineOver(forcedToDisk, ExecutionRepository.Durability.POWER_LOSS);
        try {
            engine.engine().journalOutcomes(dir);

            assertEquals(Optional.of(leftOver), forcedToDisk.find("ex-left"), "what a journal left is stored at start");
            assertEquals(List.of(), files(), "and no journal in front of a store that forces its commits to disk");
        } finally {
            engine.close();
        }

        EngineAssembly journaling = engineOver(new InMemoryExecutionRepository(), ExecutionRepository.Durability.PROCESS_CRASH);
        try {
            journaling.engine().journalOutcomes(dir);
            assertEquals(1, files().size(), "a journal file, empty until an outcome comes");
        } finally {
            journaling.close();
        }
        assertEquals(List.of(), files(), "nothing left behind by a clean stop");
    }

    // ---- helpers

    /** An engine over {@code store} that says its commits survive {@code durability}. */
    private static EngineAssembly engineOver(ExecutionRepository store, ExecutionRepository.Durability durability) {
        return new EngineAssembly(new NodeTypeRegistry(), new InMemoryWorkflowRepository(), new ForwardingExecutionRepository(store) {
            @Override
            public Durability durability() {
                return durability;
            }
        });
    }

    private List<Execution> readAll(List<Execution> outcomes) throws IOException {
        Path other = Files.createTempDirectory(dir, "other");
        try (OutcomeJournal journal = OutcomeJournal.open(other, JSON)) {
            for (Execution outcome : outcomes) {
                journal.append(journal.reserve(), outcome);
            }
        }
        return OutcomeJournal.read(other, JSON);
    }

    private Path onlyFile() throws IOException {
        List<Path> files = files();
        assertEquals(1, files.size(), () -> "journal files: " + files);
        return files.get(0);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".journal")).sorted().toList();
        }
    }

    private static List<String> ids(List<Execution> executions) {
        return executions.stream().map(Execution::id).toList();
    }

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456789Z");

    private static Execution running(String id) {
        return new Execution(id, "wf", 3, ExecutionStatus.RUNNING, "manual", JSON.createObjectNode().put("n", 1),
                T0, T0, null, null, null, List.of(
                        new NodeRun("in", "core.input", NodeRunStatus.PENDING, 0, null, null, null, null, List.of(), null)));
    }

    private static Execution succeeded(String id, String text) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("out").put("text", text).put("big", 12345678901234L).put("ratio", 0.1).putNull("none");
        ObjectNode outputs = JSON.createObjectNode();
        outputs.set("in", out);
        return new Execution(id, "wf", 3, ExecutionStatus.SUCCEEDED, "webhook:/hook", JSON.createObjectNode().put("n", 1),
                T0, T0, T0.plusMillis(7), outputs, null, List.of(
                        new NodeRun("in", "core.input", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusNanos(999), JSON.createObjectNode(), out,
                                List.of(new LogLine(T0, "info", "line with\nnewline")), null, true)));
    }

    private static Execution failed(String id) {
        ErrorInfo error = new ErrorInfo("boom: ✗", "java.lang.IllegalStateException", "node.failed", "at a\n\tat b", "in");
        return new Execution(id, "wf", 3, ExecutionStatus.FAILED, "manual", JSON.createObjectNode(),
                T0, T0, T0.plusSeconds(1), null, error, List.of(
                        new NodeRun("in", "core.input", NodeRunStatus.FAILED, 2, T0, T0.plusSeconds(1), JSON.createObjectNode(), null,
                                List.of(), error, false)));
    }
}

package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.internal.EngineAssembly;
import io.qflow.engine.internal.catalog.NodeTypeRegistry;
import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import io.qflow.engine.internal.memory.InMemoryWorkflowRepository;
import io.qflow.engine.internal.persistence.OutcomeJournal;
import io.qflow.engine.internal.persistence.WriteBehindExecutions;
import io.qflow.engine.spi.ExecutionRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code settings.persistence}: "steps" writes every change before acting; "batched" writes behind. */
class BatchedPersistenceTest {

    private final TestNodes nodes = new TestNodes();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountingStore store = new CountingStore();
    private Engine engine;

    @AfterEach
    void close() {
        release.countDown();
        if (engine != null) {
            engine.close();
        }
    }

    private StoredWorkflow workflow(String persistence, String middleType) throws Exception {
        return workflow(persistence, middleType, Duration.ofMinutes(10));
    }

    private StoredWorkflow workflow(String persistence, String middleType, Duration flushDelay) throws Exception {
        engine = Engine.builder().nodeTypes(nodes.input(), nodes.value(), nodes.block(started, release))
                .workflowRepository(new InMemoryWorkflowRepository()).executionRepository(store)
                .persistenceFlushDelay(flushDelay).build();
        String settings = persistence == null ? "" : "'settings': {'persistence': '" + persistence + "'},";
        return engine.workflows().create(json("{'schemaVersion': 1, 'name': 'three', " + settings + "'nodes': ["
                + "{'id': 'in', 'type': 'test.input'},"
                + "{'id': 'mid', 'type': '" + middleType + "', 'config': {'value': '{{ nodes.in.out.n }}'}},"
                + "{'id': 'out', 'type': 'test.value', 'config': {'value': '{{ nodes.mid.out }}'}}],"
                + "'connections': [{'from': 'in.out', 'to': 'mid.in'}, {'from': 'mid.out', 'to': 'out.in'}]}"));
    }

    @Test
    void aBatchedRunAndWaitWritesItsOutcomeOnceBeforeAnswering() throws Exception {
        StoredWorkflow wf = workflow("batched", "test.value");

        Execution done = engine.executions().run(wf.id(), json("{'n': 7}"), "manual", Duration.ofSeconds(10));

        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals(List.of("saveChanges"), store.calls, "one write for the whole run");
        Execution stored = store.find(done.id()).orElseThrow();
        assertEquals(done, stored, "what the caller is told is what is stored");
        assertEquals(List.of(NodeRunStatus.SUCCEEDED, NodeRunStatus.SUCCEEDED, NodeRunStatus.SUCCEEDED),
                stored.nodes().stream().map(NodeRun::status).toList());
        assertEquals(7, stored.nodes().get(2).outputs().get("out").intValue());
    }

    @Test
    void aJournaledRunAndWaitAnswersWithTheJsonItsJournalRecordHolds(@TempDir Path journal) throws Exception {
        NodeTypeRegistry catalog = new NodeTypeRegistry();
        catalog.addNodeType(nodes.input(), "test");
        catalog.addNodeType(nodes.value(), "test");
        InMemoryExecutionRepository disk = new InMemoryExecutionRepository();
        List<byte[]> insertedJson = new CopyOnWriteArrayList<>();
        List<ExecutionRepository.JsonSpans> insertedSpans = new CopyOnWriteArrayList<>();
        EngineAssembly assembly = new EngineAssembly(catalog, new InMemoryWorkflowRepository(), new ForwardingExecutionRepository(disk) {
            @Override
            public Durability durability() {
                return Durability.PROCESS_CRASH; // what H2 promises: the engine journals in front of it
            }

            @Override
            public void saveChanges(List<Changes> changes) {
                changes.stream().filter(Changes::insert).forEach(change -> {
                    insertedJson.add(change.json());
                    insertedSpans.add(change.spans());
                });
                super.saveChanges(changes);
            }
        });
        EncodedExecution answer;
        try {
            assembly.engine().persistenceFlushDelay(600_000); // the outcome stays unstored, in the journal only
            assembly.engine().journalOutcomes(journal);
            StoredWorkflow batched = assembly.workflows().create(threeNodes("batched"));
            StoredWorkflow steps = assembly.workflows().create(threeNodes("steps"));

            answer = assembly.executions().runEncoded(batched.id(), json("{'n': 7}"), "manual", Duration.ofSeconds(10));

            assertEquals(ExecutionStatus.SUCCEEDED, answer.execution().status());
            assertEquals(Optional.empty(), disk.find(answer.execution().id()), "not stored yet: answered from the journal");
            ObjectMapper module = new ObjectMapper().registerModule(new ExecutionJsonModule());
            String written = new String(answer.json(), StandardCharsets.UTF_8);
            assertEquals(module.writeValueAsString(answer.execution()), written, "the JSON is the execution answered");
            assertEquals(module.writeValueAsString(assembly.executions().get(answer.execution().id()).orElseThrow()), written,
                    "and what a read of it shows");
            assertEquals(List.of(answer.execution()), OutcomeJournal.read(journal, OutcomeJournal.newObjectMapper()),
                    "the journal's record is the same outcome");

            EncodedExecution unjournaled = assembly.executions().runEncoded(steps.id(), json("{'n': 7}"), "manual", Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, unjournaled.execution().status());
            assertNull(unjournaled.json(), "a run written step by step has no journal record: the caller writes it out");
        } finally {
            assembly.close(); // writes the batched outcome into the store
        }
        assertEquals(1, insertedJson.size());
        assertTrue(insertedJson.get(0) == answer.json(), "the store is handed the journal record's JSON, not a new writing");
        ExecutionRepository.JsonSpans spans = insertedSpans.get(0);
        String nodes = new String(answer.json(), spans.nodesStart(), spans.nodesEnd() - spans.nodesStart(), StandardCharsets.UTF_8);
        assertEquals(new ObjectMapper().readTree(answer.json()).get("nodes"), new ObjectMapper().readTree(nodes),
                "and where its values are in it");
        assertEquals(answer.execution(), disk.find(answer.execution().id()).orElseThrow());
    }

    private static com.fasterxml.jackson.databind.JsonNode threeNodes(String persistence) {
        return json("{'schemaVersion': 1, 'name': 'three', 'settings': {'persistence': '" + persistence + "'}, 'nodes': ["
                + "{'id': 'in', 'type': 'test.input'},"
                + "{'id': 'mid', 'type': 'test.value', 'config': {'value': '{{ nodes.in.out.n }}'}},"
                + "{'id': 'out', 'type': 'test.value', 'config': {'value': '{{ nodes.mid.out }}'}}],"
                + "'connections': [{'from': 'in.out', 'to': 'mid.in'}, {'from': 'mid.out', 'to': 'out.in'}]}");
    }

    @Test
    void stepsPersistenceWritesEveryChangeBeforeActingOnIt() throws Exception {
        StoredWorkflow wf = workflow(null, "test.value");

        Execution done = engine.executions().run(wf.id(), json("{'n': 7}"), "manual", Duration.ofSeconds(10));

        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals("insert", store.calls.get(0));
        assertFalse(store.calls.contains("saveChanges"));
        assertTrue(store.calls.stream().filter("saveNodeRun"::equals).count() >= 6, "running and finished, per node: " + store.calls);
        assertEquals(done, store.find(done.id()).orElseThrow());
    }

    @Test
    void aBatchedAsynchronousStartIsStoredWhenStartReturns() throws Exception {
        StoredWorkflow wf = workflow("batched", "test.block");

        Execution accepted = engine.executions().start(wf.id(), json("{'n': 1}"), "manual");

        assertTrue(store.find(accepted.id()).isPresent(), "an accepted run is on disk before its id is handed out");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        release.countDown();
        Execution done = engine.executions().await(accepted.id(), Duration.ofSeconds(10));
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals(done, store.find(accepted.id()).orElseThrow());
    }

    @Test
    void aRunningBatchedExecutionIsReadCurrentFromMemoryAndWrittenWithinTheFlushDelay() throws Exception {
        StoredWorkflow wf = workflow("batched", "test.block", Duration.ofMillis(50));

        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                engine.executions().run(wf.id(), json("{'n': 1}"), "manual", Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        String id = awaitValue(() -> engine.executions().list(new ExecutionQuery(wf.id(), null, 10, null)).stream()
                .findFirst().map(Execution::id));

        Execution current = engine.executions().get(id).orElseThrow();
        assertEquals(NodeRunStatus.SUCCEEDED, current.nodes().get(0).status(), "read from memory, current");
        assertEquals(NodeRunStatus.RUNNING, current.nodes().get(1).status());
        await(() -> store.find(id).map(e -> e.nodes().get(1).status() == NodeRunStatus.RUNNING).orElse(false),
                "the running node is written unasked after the flush delay");

        release.countDown();
        caller.join(10_000);
        assertEquals(ExecutionStatus.SUCCEEDED, store.find(id).orElseThrow().status());
    }

    @Test
    void aFailedWriteFailsItsWaiterAndIsWrittenLater() throws Exception {
        InMemoryExecutionRepository disk = new InMemoryExecutionRepository();
        AtomicInteger failures = new AtomicInteger(1);
        ExecutionRepository flaky = new CountingStore() {
            @Override
            public void saveChanges(List<Changes> changes) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("disk full");
                }
                disk.saveChanges(changes);
            }
        };
        try (WriteBehindExecutions writer = new WriteBehindExecutions(flaky, 10_000)) {
            Execution accepted = new Execution("ex-1", "wf", 1, ExecutionStatus.RUNNING, "manual", json("{}"),
                    java.time.Instant.EPOCH, java.time.Instant.EPOCH, null, null, null, List.of());
            writer.accept(accepted);

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.flush("ex-1"));
            assertEquals("disk full", e.getMessage());
            assertEquals(Optional.of(accepted), writer.find("ex-1"), "nothing is lost from the buffer");

            writer.flush("ex-1");
            assertEquals(Optional.of(accepted), disk.find("ex-1"), "written on the next try");
        }
    }

    private static <T> T awaitValue(java.util.function.Supplier<Optional<T>> value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<T> found = value.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no value within 10 s");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** The in-memory store, recording which write methods were called. */
    private static class CountingStore extends ForwardingExecutionRepository {
        final List<String> calls = new CopyOnWriteArrayList<>();

        CountingStore() {
            super(new InMemoryExecutionRepository());
        }

        @Override
        public void insert(Execution execution) {
            calls.add("insert");
            super.insert(execution);
        }

        @Override
        public void updateExecution(Execution execution) {
            calls.add("updateExecution");
            super.updateExecution(execution);
        }

        @Override
        public void saveNodeRun(String executionId, NodeRun nodeRun) {
            calls.add("saveNodeRun");
            super.saveNodeRun(executionId, nodeRun);
        }

        @Override
        public void saveChanges(List<Changes> changes) {
            calls.add("saveChanges");
            super.saveChanges(changes);
        }
    }
}

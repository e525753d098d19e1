package io.qflow.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.spi.DocumentRepository;
import io.qflow.engine.spi.ExecutionRepository;
import io.qflow.engine.spi.WorkflowRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database the store runs on must do. Subclasses give each test a fresh, empty
 * database through {@link #settings()}; the same settings reopen it.
 */
abstract class StoreContractTest {

    private static final ObjectMapper JSON = StoreJson.newObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    private StoreSettings settings;
    private JdbcStoreComponent store;
    private WorkflowRepository workflows;
    private JdbcExecutionRepository executions;
    private JdbcDocumentRepository documents;

    /** Settings for a fresh, empty database; called once per test. */
    protected abstract StoreSettings settings() throws Exception;

    protected abstract SqlDialect dialect();

    /** What this database's commits survive (the engine journals batched outcomes only in front of PROCESS_CRASH). */
    protected abstract ExecutionRepository.Durability durability();

    @BeforeEach
    void open() throws Exception {
        settings = settings();
        openStore();
    }

    @AfterEach
    void close() {
        if (executions != null) {
            executions.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void openStore() {
        store = new JdbcStoreComponent(settings);
        workflows = new JdbcWorkflowRepository(store);
        // the plain constructor, as tests and benchmarks outside OSGi use it
        executions = new JdbcExecutionRepository(store.dataSource(), JSON);
        documents = new JdbcDocumentRepository(store.dataSource(), JSON);
    }

    private void reopen() {
        executions.close();
        store.close();
        store = null;
        openStore();
    }

    @Test
    void theStoreSaysWhatItsCommitsSurvive() {
        assertEquals(durability(), executions.durability());
    }

    @Test
    void dialectIsDetectedFromTheUrlAndTheDatabase() {
        assertEquals(dialect(), store.dialect());
        assertEquals(dialect(), SqlDialect.of(store.dataSource()));
    }

    // ---- workflows

    @Test
    void insertedWorkflowIsFoundAsGiven() throws Exception {
        StoredWorkflow workflow = workflow("wf-1", 1, T0);
        workflows.insert(workflow);

        assertEquals(Optional.of(workflow), workflows.find("wf-1"));
        assertEquals(Optional.empty(), workflows.find("nope"));
    }

    @Test
    void documentTextIsKeptExactlyIncludingKeyOrder() throws Exception {
        String text = "{\"zeta\":1,\"alpha\":{\"y\":[3,2,1],\"b\":null},\"position\":{\"x\":10.5,\"y\":-2},\"id\":\"wf-o\"}";
        ObjectNode document = (ObjectNode) JSON.readTree(text);
        workflows.insert(new StoredWorkflow("wf-o", 1, "ordered", T0, T0, document));

        assertEquals(text, JSON.writeValueAsString(workflows.find("wf-o").orElseThrow().document()));
    }

    @Test
    void insertingAnExistingIdFails() throws Exception {
        workflows.insert(workflow("wf-1", 1, T0));

        assertThrows(IllegalStateException.class, () -> workflows.insert(workflow("wf-1", 1, T0)));
    }

    @Test
    void listIsMostRecentlyUpdatedFirst() throws Exception {
        workflows.insert(workflow("wf-a", 1, T0));
        workflows.insert(workflow("wf-b", 1, T0.plusSeconds(10)));
        workflows.insert(workflow("wf-c", 1, T0.plusSeconds(5)));

        assertEquals(List.of("wf-b", "wf-c", "wf-a"), workflows.list().stream().map(StoredWorkflow::id).toList());
    }

    @Test
    void updateNeedsTheStoredVersion() throws Exception {
        workflows.insert(workflow("wf-1", 1, T0));
        StoredWorkflow second = new StoredWorkflow("wf-1", 2, "renamed", T0, T0.plusSeconds(60),
                document("wf-1", "renamed", 2));

        assertTrue(workflows.update(second, 1));
        assertEquals(Optional.of(second), workflows.find("wf-1"));

        StoredWorkflow stale = new StoredWorkflow("wf-1", 2, "stale", T0, T0.plusSeconds(90), document("wf-1", "stale", 2));
        assertFalse(workflows.update(stale, 1), "an update with a stale version must be refused");
        assertEquals(Optional.of(second), workflows.find("wf-1"));

        assertFalse(workflows.update(workflow("missing", 2, T0), 1), "a missing workflow cannot be updated");
    }

    @Test
    void deleteRemovesTheWorkflowOnce() throws Exception {
        workflows.insert(workflow("wf-1", 1, T0));

        assertTrue(workflows.delete("wf-1"));
        assertFalse(workflows.delete("wf-1"));
        assertEquals(Optional.empty(), workflows.find("wf-1"));
        assertEquals(List.of(), workflows.list());
    }

    // ---- executions

    @Test
    void insertedExecutionComesBackWithItsPendingNodeRunsInOrder() throws Exception {
        Execution execution = execution("ex-1", "wf-1", ExecutionStatus.QUEUED, T0, "zeta", "alpha", "mid");
        executions.insert(execution);

        Execution found = executions.find("ex-1").orElseThrow();
        assertEquals(execution, found);
        assertEquals(List.of("zeta", "alpha", "mid"), found.nodes().stream().map(NodeRun::nodeId).toList());
        assertEquals(Optional.empty(), executions.find("nope"));
    }

    @Test
    void insertingAnExistingExecutionFailsAndLeavesNothingBehind() throws Exception {
        executions.insert(execution("ex-1", "wf-1", ExecutionStatus.QUEUED, T0, "a"));

        assertThrows(RuntimeException.class,
                () -> executions.insert(execution("ex-1", "wf-2", ExecutionStatus.QUEUED, T0, "b", "c")));
        Execution found = executions.find("ex-1").orElseThrow();
        assertEquals("wf-1", found.workflowId());
        assertEquals(List.of("a"), found.nodes().stream().map(NodeRun::nodeId).toList());
    }

    @Test
    void nodeRunUpsertReplacesInPlaceAndAppendsNewNodes() throws Exception {
        executions.insert(execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a", "b", "c"));

        NodeRun cRunning = new NodeRun("c", "core.python", NodeRunStatus.RUNNING, 1, T0.plusMillis(5), null,
                object("{\"x\":1}"), null, List.of(), null);
        executions.saveNodeRun("ex-1", cRunning);
        NodeRun aDone = new NodeRun("a", "core.input", NodeRunStatus.SUCCEEDED, 1, T0.plusMillis(1), T0.plusMillis(2),
                object("{}"), object("{\"out\":{\"v\":[1,2,3]}}"),
                List.of(new LogLine(T0.plusMillis(1), "info", "started"), new LogLine(T0.plusMillis(2), "warn", "odd")),
                null);
        executions.saveNodeRun("ex-1", aDone);
        NodeRun cFailed = new NodeRun("c", "core.python", NodeRunStatus.FAILED, 2, T0.plusMillis(7), T0.plusMillis(9),
                object("{\"x\":1}"), null, List.of(new LogLine(T0.plusMillis(8), "error", "boom")),
                new ErrorInfo("boom", "ValueError", "E42", "Traceback ...\n  line 3", "c"));
        executions.saveNodeRun("ex-1", cFailed);
        NodeRun extra = new NodeRun("d", "core.output", NodeRunStatus.SKIPPED, 0, null, T0.plusMillis(10),
                null, null, null, null);
        executions.saveNodeRun("ex-1", extra);

        List<NodeRun> runs = executions.find("ex-1").orElseThrow().nodes();
        assertEquals(List.of("a", "b", "c", "d"), runs.stream().map(NodeRun::nodeId).toList());
        assertEquals(aDone, runs.get(0));
        assertEquals(pending("b"), runs.get(1));
        assertEquals(cFailed, runs.get(2));
        assertEquals(extra, runs.get(3));
    }

    @Test
    void cachedFlagRoundTripsThroughInsertAndUpsert() throws Exception {
        NodeRun fromCache = new NodeRun("a", "core.http", NodeRunStatus.SUCCEEDED, 0, T0, T0, object("{\"in\":1}"),
                object("{\"out\":2}"), List.of(new LogLine(T0, "info", "served from cache (key 0123456789ab)")), null, true);
        executions.insert(new Execution("ex-1", "wf-1", 3, ExecutionStatus.RUNNING, "manual", object("{}"), T0, T0, null,
                null, null, List.of(fromCache, pending("b"))));
        assertEquals(List.of(fromCache, pending("b")), executions.find("ex-1").orElseThrow().nodes());

        NodeRun bFromCache = new NodeRun("b", "core.b", NodeRunStatus.SUCCEEDED, 0, T0, T0, null, object("{\"out\":3}"),
                List.of(), null, true);
        executions.saveNodeRun("ex-1", bFromCache);
        assertEquals(List.of(fromCache, bFromCache), executions.find("ex-1").orElseThrow().nodes());
        NodeRun bRan = new NodeRun("b", "core.b", NodeRunStatus.SUCCEEDED, 1, T0, T0, null, object("{\"out\":3}"),
                List.of(), null);
        executions.saveNodeRun("ex-1", bRan);
        assertEquals(List.of(fromCache, bRan), executions.find("ex-1").orElseThrow().nodes(), "the upsert clears the flag");
    }

    @Test
    void updateExecutionChangesOnlyExecutionFields() throws Exception {
        Execution queued = execution("ex-1", "wf-1", ExecutionStatus.QUEUED, T0, "a");
        executions.insert(queued);
        NodeRun aDone = new NodeRun("a", "core.input", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(3),
                null, object("{\"out\":1}"), List.of(), null);
        executions.saveNodeRun("ex-1", aDone);

        Execution failed = new Execution("ex-1", "ignored", 99, ExecutionStatus.FAILED, "ignored", null,
                T0.plusSeconds(99), T0.plusMillis(1), T0.plusMillis(4), object("{\"a\":{\"out\":1}}"),
                ErrorInfo.of("it broke").withNode("a"), List.of());
        executions.updateExecution(failed);

        Execution found = executions.find("ex-1").orElseThrow();
        Execution expected = new Execution("ex-1", "wf-1", 3, ExecutionStatus.FAILED, "manual", queued.input(), T0,
                T0.plusMillis(1), T0.plusMillis(4), object("{\"a\":{\"out\":1}}"), ErrorInfo.of("it broke").withNode("a"),
                List.of(aDone));
        assertEquals(expected, found);

        assertThrows(IllegalStateException.class,
                () -> executions.updateExecution(execution("missing", "wf-1", ExecutionStatus.RUNNING, T0)));
    }

    @Test
    void largeJsonValuesRoundTrip() throws Exception {
        ObjectNode outputs = JSON.createObjectNode();
        outputs.putObject("big").put("text", "x".repeat(5_000_000) + "ünïcødé ✓");
        ArrayNode rows = outputs.putObject("table").putArray("rows");
        for (int i = 0; i < 20_000; i++) {
            rows.addObject().put("i", i).put("name", "row " + i).put("score", i / 7.0);
        }
        executions.insert(execution("ex-big", "wf-1", ExecutionStatus.RUNNING, T0, "a"));
        NodeRun big = new NodeRun("a", "core.python", NodeRunStatus.SUCCEEDED, 1, T0, T0, outputs, outputs,
                List.of(new LogLine(T0, "info", "y".repeat(1_000_000))), null);
        executions.saveNodeRun("ex-big", big);
        executions.updateExecution(new Execution("ex-big", "wf-1", 3, ExecutionStatus.SUCCEEDED, "manual", null, T0, T0,
                T0, outputs, null, List.of()));

        Execution found = executions.find("ex-big").orElseThrow();
        assertEquals(big, found.nodes().get(0));
        assertEquals(outputs, found.outputs());
    }

    @Test
    void instantsKeepMicrosecondsAndDropNanoseconds() throws Exception {
        Instant nanos = Instant.parse("2026-03-01T10:15:30.123456789Z");
        Instant micros = Instant.parse("2026-03-01T10:15:30.123456Z");
        executions.insert(new Execution("ex-t", "wf-1", 1, ExecutionStatus.RUNNING, "manual", null, nanos, nanos, null,
                null, null, List.of()));
        workflows.insert(new StoredWorkflow("wf-t", 1, "t", nanos, nanos.plusNanos(1), document("wf-t", "t", 1)));

        Execution found = executions.find("ex-t").orElseThrow();
        assertEquals(micros, found.createdAt());
        assertEquals(micros, found.startedAt());
        assertEquals(micros, workflows.find("wf-t").orElseThrow().updatedAt());
    }

    @Test
    void listFiltersAndPagesNewestFirst() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "ex-%02d".formatted(i);
            String workflow = i % 2 == 0 ? "wf-even" : "wf-odd";
            ExecutionStatus status = i % 3 == 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
            // pairs share a creation time; the order is by id either way
            executions.insert(execution(id, workflow, status, T0.plusSeconds(i / 2), "a"));
            all.add(0, id);
        }

        assertEquals(all, ids(executions.list(new ExecutionQuery(null, null, 1000, null))));
        assertEquals(List.of("ex-10", "ex-08", "ex-06", "ex-04", "ex-02", "ex-00"),
                ids(executions.list(new ExecutionQuery("wf-even", null, 100, null))));
        assertEquals(List.of("ex-09", "ex-06", "ex-03", "ex-00"),
                ids(executions.list(new ExecutionQuery(null, ExecutionStatus.FAILED, 100, null))));
        assertEquals(List.of("ex-09", "ex-03"),
                ids(executions.list(new ExecutionQuery("wf-odd", ExecutionStatus.FAILED, 100, null))));
        assertEquals(List.of("ex-11", "ex-10", "ex-09"), ids(executions.list(new ExecutionQuery(null, null, 3, null))));
        assertEquals(List.of(), executions.list(new ExecutionQuery("wf-none", null, 100, null)));

        List<String> paged = new ArrayList<>();
        String before = null;
        while (true) {
            List<Execution> page = executions.list(new ExecutionQuery(null, null, 5, before));
            if (page.isEmpty()) {
                break;
            }
            page.forEach(e -> assertTrue(e.nodes().isEmpty(), "summaries carry no node runs"));
            paged.addAll(ids(page));
            before = page.get(page.size() - 1).id();
        }
        assertEquals(all, paged);
        assertEquals(List.of("ex-04", "ex-02"),
                ids(executions.list(new ExecutionQuery("wf-even", null, 2, "ex-06"))));
    }

    @Test
    void unfinishedListsExecutionsThatAreNotFinal() throws Exception {
        for (ExecutionStatus status : ExecutionStatus.values()) {
            executions.insert(execution("ex-" + status.json(), "wf-1", status, T0, "a"));
        }

        assertEquals(List.of("ex-queued", "ex-running", "ex-waiting"), ids(executions.unfinished()), "in id order");
    }

    @Test
    void listIsInDescendingIdOrderAndPagesThroughOneMillisecondWithoutGapsOrRepeats() throws Exception {
        // Newest first means descending id, not created_at: these ids are random, so within the
        // millisecond they share they are in no particular created_at order.
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = UUID.randomUUID().toString();
            ExecutionStatus status = i % 3 == 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
            executions.insert(execution(id, i % 2 == 0 ? "wf-even" : "wf-odd", status, T0.plusNanos(i % 7 * 1000), "a"));
            all.add(id);
        }
        List<String> newestFirst = all.stream().sorted(Comparator.reverseOrder()).toList();

        assertEquals(newestFirst, ids(executions.list(new ExecutionQuery(null, null, 1000, null))));
        assertEquals(newestFirst, pages(null, null));
        List<Execution> evens = executions.list(new ExecutionQuery("wf-even", null, 1000, null));
        assertEquals(30, evens.size());
        assertEquals(ids(evens), pages("wf-even", null));
        assertEquals(ids(evens).stream().sorted(Comparator.reverseOrder()).toList(), ids(evens));
        List<Execution> failed = executions.list(new ExecutionQuery(null, ExecutionStatus.FAILED, 1000, null));
        assertEquals(20, failed.size());
        assertEquals(ids(failed), pages(null, ExecutionStatus.FAILED));
        assertEquals(ids(failed).stream().sorted(Comparator.reverseOrder()).toList(), ids(failed));
        assertEquals(newestFirst.subList(10, 13), ids(executions.list(new ExecutionQuery(null, null, 3, newestFirst.get(9)))));
    }

    /** Every execution the query lists, fetched in pages of 7 through the before cursor. */
    private List<String> pages(String workflowId, ExecutionStatus status) {
        List<String> paged = new ArrayList<>();
        String before = null;
        while (true) {
            List<String> page = ids(executions.list(new ExecutionQuery(workflowId, status, 7, before)));
            paged.addAll(page);
            if (page.size() < 7) {
                return paged;
            }
            before = page.getLast();
        }
    }

    @Test
    void statusesAreStoredLowerCase() throws Exception {
        executions.insert(execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a"));
        executions.saveNodeRun("ex-1", new NodeRun("a", "t", NodeRunStatus.TIMED_OUT, 1, T0, T0, null, null, null, null));

        assertEquals("running", queryString("SELECT status FROM executions WHERE id = 'ex-1'"));
        assertEquals("timed_out", queryString("SELECT status FROM node_runs WHERE execution_id = 'ex-1'"));
    }

    // ---- group commit

    @Test
    void sixtyFourConcurrentWritersAllCommitAndShareCommits() throws Exception {
        int threads = 64;
        try (GroupCommitWriter writer = new GroupCommitWriter(store.dataSource())) {
            ExecutionRepository grouped = new JdbcExecutionRepository(store.dataSource(), JSON, writer);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    String id = "ex-" + t;
                    done.add(pool.submit(() -> {
                        start.await();
                        grouped.insert(execution(id, "wf-1", ExecutionStatus.RUNNING, T0, "a", "b", "c"));
                        for (String node : List.of("a", "b", "c")) {
                            grouped.saveNodeRun(id, running(node));
                            grouped.saveNodeRun(id, succeeded(node, id));
                        }
                        grouped.updateExecution(new Execution(id, "wf-1", 3, ExecutionStatus.SUCCEEDED, "manual",
                                null, T0, T0, T0.plusSeconds(1), object("{\"done\":true}"), null, List.of()));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            }
            long writes = threads * 8L;
            assertEquals(writes, writer.writes());
            assertTrue(writer.batches() < writes, "concurrent writes should share transactions, "
                    + writer.batches() + " for " + writes);
        }
        for (int t = 0; t < threads; t++) {
            String id = "ex-" + t;
            Execution found = executions.find(id).orElseThrow();
            assertEquals(ExecutionStatus.SUCCEEDED, found.status(), id);
            assertEquals(object("{\"done\":true}"), found.outputs(), id);
            assertEquals(List.of(succeeded("a", id), succeeded("b", id), succeeded("c", id)), found.nodes(), id);
        }
    }

    @Test
    void aFailingWriteInABatchFailsOnlyItsCaller() throws Exception {
        executions.insert(execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a", "b"));
        try (GroupCommitWriter writer = new GroupCommitWriter(store.dataSource());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ExecutionRepository grouped = new JdbcExecutionRepository(store.dataSource(), JSON, writer);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> hold = holdWriter(writer, pool, release);

            // all of these queue up behind the holding write and go into one batch
            List<Future<?>> good = new ArrayList<>();
            good.add(pool.submit(() -> grouped.saveNodeRun("ex-1", succeeded("a", "ex-1"))));
            good.add(pool.submit(() -> grouped.insert(execution("ex-2", "wf-1", ExecutionStatus.QUEUED, T0, "x"))));
            Future<?> unknownExecution = pool.submit(() -> grouped.saveNodeRun("ex-unknown", running("a")));
            Future<?> duplicate = pool.submit(() -> grouped.insert(execution("ex-1", "wf-2", ExecutionStatus.QUEUED, T0)));
            Future<?> missing = pool.submit(() -> grouped.updateExecution(
                    execution("missing", "wf-1", ExecutionStatus.FAILED, T0)));
            good.add(pool.submit(() -> grouped.saveNodeRun("ex-1", running("b"))));
            awaitQueued(writer, 6);
            long batchesBefore = writer.batches();
            release.countDown();

            hold.get(30, TimeUnit.SECONDS);
            for (Future<?> future : good) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertInstanceOf(StoreException.class, failure(unknownExecution));
            assertInstanceOf(StoreException.class, failure(duplicate));
            assertInstanceOf(IllegalStateException.class, failure(missing));
            // one failed transaction for the batch, then one per write
            assertEquals(batchesBefore + 1 + 6, writer.batches());
        }
        Execution ex1 = executions.find("ex-1").orElseThrow();
        assertEquals("wf-1", ex1.workflowId());
        assertEquals(List.of(succeeded("a", "ex-1"), running("b")), ex1.nodes());
        assertEquals(List.of(pending("x")), executions.find("ex-2").orElseThrow().nodes());
        assertEquals(Optional.empty(), executions.find("ex-unknown"));
    }

    @Test
    void writesInOneBatchApplyInQueueOrder() throws Exception {
        executions.insert(execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a"));
        try (GroupCommitWriter writer = new GroupCommitWriter(store.dataSource());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ExecutionRepository grouped = new JdbcExecutionRepository(store.dataSource(), JSON, writer);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> hold = holdWriter(writer, pool, release);
            List<Future<?>> writes = new ArrayList<>();
            // the running record, then the final one of the same node; then two new nodes
            List<Runnable> inOrder = List.of(
                    () -> grouped.saveNodeRun("ex-1", running("a")),
                    () -> grouped.saveNodeRun("ex-1", succeeded("a", "ex-1")),
                    () -> grouped.saveNodeRun("ex-1", running("y")),
                    () -> grouped.saveNodeRun("ex-1", running("x")));
            for (Runnable write : inOrder) {
                writes.add(pool.submit(write));
                awaitQueued(writer, writes.size());
            }
            release.countDown();
            hold.get(30, TimeUnit.SECONDS);
            for (Future<?> future : writes) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertEquals(2, writer.batches(), "the holding write, then one batch for the four");
        }
        assertEquals(List.of(succeeded("a", "ex-1"), running("y"), running("x")),
                executions.find("ex-1").orElseThrow().nodes());
    }

    @Test
    void aClosedRepositoryRefusesWritesAndStillReads() throws Exception {
        executions.insert(execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a"));
        executions.close();

        assertThrows(StoreException.class, () -> executions.saveNodeRun("ex-1", running("a")));
        assertEquals(List.of(pending("a")), executions.find("ex-1").orElseThrow().nodes());
    }

    /** Makes the writer run a write that waits for {@code release}; returns once the writer is in it. */
    private static Future<?> holdWriter(GroupCommitWriter writer, ExecutorService pool, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Future<?> hold = pool.submit(() -> writer.submit("holding the writer", statements -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the writer should run the holding write");
        return hold;
    }

    private static void awaitQueued(GroupCommitWriter writer, int queued) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (writer.queued() != queued) {
            assertTrue(System.nanoTime() < deadline, "expected " + queued + " queued writes, not " + writer.queued());
            Thread.sleep(5);
        }
    }

    private static Throwable failure(Future<?> future) throws Exception {
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return thrown.getCause();
    }

    private static NodeRun running(String node) {
        return new NodeRun(node, "core." + node, NodeRunStatus.RUNNING, 1, T0.plusMillis(1), null,
                object("{\"x\":1}"), null, List.of(), null);
    }

    private static NodeRun succeeded(String node, String executionId) {
        return new NodeRun(node, "core." + node, NodeRunStatus.SUCCEEDED, 1, T0.plusMillis(1), T0.plusMillis(2),
                object("{\"x\":1}"), object("{\"out\":\"" + executionId + "/" + node + "\"}"),
                List.of(new LogLine(T0.plusMillis(2), "info", "done")), null);
    }

    // ---- retention

    @Test
    void deleteFinishedBeforeTakesOnlyFinalExecutionsOldestFirstWithTheirNodeRuns() throws Exception {
        // Oldest first is ascending id: these ids sort in creation order, as the engine's do.
        finished("old-0-ok", ExecutionStatus.SUCCEEDED, T0, T0.plusSeconds(10));
        finished("old-1-failed", ExecutionStatus.FAILED, T0.plusSeconds(1), T0.plusSeconds(5));
        finished("old-2-cancelled", ExecutionStatus.CANCELLED, T0.plusSeconds(2), T0.plusSeconds(20));
        finished("recent", ExecutionStatus.SUCCEEDED, T0.plusSeconds(3), T0.plusSeconds(100));
        executions.insert(execution("old-running", "wf-1", ExecutionStatus.RUNNING, T0.minusSeconds(3600), "a"));
        executions.insert(execution("old-waiting", "wf-2", ExecutionStatus.WAITING, T0.minusSeconds(3600), "a"));
        Instant cutoff = T0.plusSeconds(50);

        // batches of 2: the two created first go first
        assertEquals(2, executions.deleteFinishedBefore(cutoff, 2));
        assertEquals(Optional.empty(), executions.find("old-0-ok"));
        assertEquals(Optional.empty(), executions.find("old-1-failed"));
        assertTrue(executions.find("old-2-cancelled").isPresent());
        assertEquals(1, executions.deleteFinishedBefore(cutoff, 2));
        assertEquals(0, executions.deleteFinishedBefore(cutoff, 2));

        assertEquals(List.of("old-running", "old-waiting", "recent"), ids(executions.list(ExecutionQuery.all())).stream().sorted().toList());
        assertEquals("0", queryString("SELECT COUNT(*) FROM node_runs WHERE execution_id LIKE 'old-%' AND execution_id NOT IN"
                + " ('old-running', 'old-waiting')"), "node runs are deleted with their execution");
        assertEquals(1, executions.find("old-running").orElseThrow().nodes().size());
    }

    @Test
    void deleteFinishedBeyondKeepsTheNewestFinalExecutionsAcrossWorkflows() throws Exception {
        // Newest is highest id: these ids sort in creation order, as the engine's do.
        for (int i = 1; i <= 6; i++) {
            finished("ex-" + i + "-done", i % 2 == 0 ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED,
                    T0.plusSeconds(i), T0.plusSeconds(100 - i));
        }
        // unfinished ones neither count nor go, however old
        executions.insert(execution("ex-0-running", "wf-1", ExecutionStatus.RUNNING, T0.minusSeconds(10), "a"));
        executions.insert(execution("ex-7-queued", "wf-2", ExecutionStatus.QUEUED, T0.plusSeconds(60), "a"));

        assertEquals(2, executions.deleteFinishedBeyond(2, 2));
        assertEquals(List.of("ex-7-queued", "ex-6-done", "ex-5-done", "ex-4-done", "ex-3-done", "ex-0-running"),
                ids(executions.list(ExecutionQuery.all())), "oldest created go first");
        assertEquals(2, executions.deleteFinishedBeyond(2, 5));
        assertEquals(0, executions.deleteFinishedBeyond(2, 5));
        assertEquals(List.of("ex-7-queued", "ex-6-done", "ex-5-done", "ex-0-running"), ids(executions.list(ExecutionQuery.all())));
        assertEquals(0, executions.deleteFinishedBeyond(5, 5), "fewer than the count: nothing goes");
        assertEquals(2, executions.deleteFinishedBeyond(0, 5));
        assertEquals(List.of("ex-7-queued", "ex-0-running"), ids(executions.list(ExecutionQuery.all())));
        assertEquals("2", queryString("SELECT COUNT(*) FROM node_runs"));
    }

    /** A final execution of a workflow, created and finished at the given times, with two node runs. */
    private void finished(String id, ExecutionStatus status, Instant createdAt, Instant finishedAt) {
        Execution e = execution(id, id.hashCode() % 2 == 0 ? "wf-1" : "wf-2", ExecutionStatus.RUNNING, createdAt, "a", "b");
        executions.insert(e);
        executions.saveNodeRun(id, succeeded("a", id));
        executions.updateExecution(new Execution(id, e.workflowId(), e.workflowVersion(), status, e.trigger(), e.input(),
                createdAt, createdAt, finishedAt, object("{}"), null, List.of()));
    }

    // ---- documents

    @Test
    void documentsArePutFoundReplacedAndDeletedPerCollection() throws Exception {
        documents.put("activations", "wf-1", JSON.readTree("{\"active\":true,\"since\":\"x\"}"));
        documents.put("python-nodes", "wf-1", JSON.readTree("[1,2,3]"));

        assertEquals(Optional.of(JSON.readTree("{\"active\":true,\"since\":\"x\"}")), documents.find("activations", "wf-1"));
        assertEquals(Optional.of(JSON.readTree("[1,2,3]")), documents.find("python-nodes", "wf-1"));
        assertEquals(Optional.empty(), documents.find("activations", "wf-2"));

        documents.put("activations", "wf-1", JSON.readTree("{\"active\":false}"));
        assertEquals(Optional.of(JSON.readTree("{\"active\":false}")), documents.find("activations", "wf-1"));

        assertTrue(documents.delete("activations", "wf-1"));
        assertFalse(documents.delete("activations", "wf-1"));
        assertEquals(Optional.empty(), documents.find("activations", "wf-1"));
        assertTrue(documents.find("python-nodes", "wf-1").isPresent());
    }

    @Test
    void documentsAreListedByKeyWithTheirUpdateTimeAndSurviveReopening() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        documents.put("c", "b", JSON.readTree("{\"n\":2}"));
        documents.put("c", "a", JSON.readTree("{\"n\":1}"));
        documents.put("other", "z", JSON.readTree("{}"));
        reopen();

        List<DocumentRepository.Document> listed = documents.list("c");
        assertEquals(List.of("a", "b"), listed.stream().map(DocumentRepository.Document::key).toList());
        assertEquals(JSON.readTree("{\"n\":1}"), listed.get(0).body());
        assertTrue(listed.get(0).updatedAt().isAfter(before), listed.get(0).updatedAt() + " after " + before);
        assertEquals(List.of(), documents.list("empty"));
    }

    @Test
    void documentNamesAreCheckedBeforeTheDatabaseSeesThem() {
        String tooLong = "k".repeat(256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> documents.put("c", tooLong, JSON.createObjectNode()));
        assertTrue(e.getMessage().contains("key"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> documents.find("", "k"));
        assertEquals(List.of(), documents.list("c"));
    }

    // ---- batched changes (write-behind persistence)

    @Test
    void changesOfManyExecutionsAreSavedTogether() throws Exception {
        executions.insert(execution("ex-old", "wf-1", ExecutionStatus.RUNNING, T0, "a", "b"));
        NodeRun aDone = new NodeRun("a", "core.a", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(1), null,
                object("{\"out\":1}"), List.of(), null);
        Execution finished = new Execution("ex-new", "wf-1", 3, ExecutionStatus.SUCCEEDED, "manual", object("{}"),
                T0.plusSeconds(1), T0.plusSeconds(1), T0.plusSeconds(2), object("{\"b\":{\"out\":2}}"), null,
                List.of(aDone, new NodeRun("b", "core.b", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(2), null,
                        object("{\"out\":2}"), List.of(), null)));
        Execution oldNow = new Execution("ex-old", "wf-1", 3, ExecutionStatus.FAILED, "manual",
                object("{\"who\":\"tester\",\"n\":[1,2.5,\"three\"]}"), T0, T0, T0.plusSeconds(3), null,
                new ErrorInfo("boom", "x", "code", null, null), List.of());
        executions.saveChanges(List.of(
                new ExecutionRepository.Changes(finished, true, true, List.of()),
                new ExecutionRepository.Changes(oldNow, false, true, List.of(aDone))));

        assertEquals(finished, executions.find("ex-new").orElseThrow());
        Execution old = executions.find("ex-old").orElseThrow();
        assertEquals(ExecutionStatus.FAILED, old.status());
        assertEquals("boom", old.error().message());
        assertEquals(List.of(aDone, pending("b")), old.nodes());
    }

    @Test
    void anExecutionInsertedFinalKeepsItsNodeRunsInItsRowAndReadsBackTheSame() throws Exception {
        NodeRun failed = new NodeRun("b", "core.b", NodeRunStatus.FAILED, 2, T0.plusNanos(1_234_567),
                T0.plusMillis(2), object("{\"in\":{\"x\":[1,2,{\"y\":null}]}}"), null,
                List.of(new LogLine(T0.plusNanos(1_000_001), "warn", "careful")),
                new ErrorInfo("boom", "IllegalStateException", "node.failed", "at b(B.java:1)", null));
        NodeRun cached = new NodeRun("a", "core.a", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(1), null,
                object("{\"out\":\"é ✓\"}"), List.of(), null, true);
        Execution finished = new Execution("ex-1", "wf-1", 1, ExecutionStatus.FAILED, "manual", object("{}"), T0, T0,
                T0.plusSeconds(1), null, new ErrorInfo("boom", "x", "code", null, null),
                List.of(cached, failed, pending("c")));

        executions.insert(finished);

        assertEquals("0", queryString("SELECT COUNT(*) FROM node_runs WHERE execution_id = 'ex-1'"), "no node_runs rows");
        Execution found = executions.find("ex-1").orElseThrow();
        NodeRun failedInMicros = new NodeRun("b", "core.b", NodeRunStatus.FAILED, 2, T0.plusNanos(1_234_000),
                T0.plusMillis(2), failed.inputs(), null, failed.logs(), failed.error());
        assertEquals(List.of(cached, failedInMicros, pending("c")), found.nodes(), "times cut to microseconds as in rows");
        assertEquals(List.of(), executions.list(new ExecutionQuery("wf-1", null, 10, null)).get(0).nodes(), "listings stay summaries");
        reopen();
        assertEquals(found, executions.find("ex-1").orElseThrow());
    }

    @Test
    void anExecutionInsertedWithItsJsonFormReadsBackAsOneInsertedWithout() throws Exception {
        NodeRun failed = new NodeRun("b", "core.b", NodeRunStatus.FAILED, 2, T0.plusNanos(1_234_000),
                T0.plusMillis(2), object("{\"in\":{\"x\":[1,2.5,{\"y\":null}],\"big\":12345678901234567890}}"), null,
                List.of(new LogLine(T0.plusNanos(1_000_000), "warn", "careful \"quoted\"\n")),
                new ErrorInfo("boom", "IllegalStateException", "node.failed", "at b(B.java:1)", "b"));
        NodeRun cached = new NodeRun("a", "core.a", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(1), null,
                object("{\"out\":\"é ✓ \\u0001\"}"), List.of(), null, true);
        ObjectMapper engineJson = new ObjectMapper().registerModule(new io.qflow.engine.ExecutionJsonModule());
        for (ErrorInfo error : java.util.Arrays.asList(new ErrorInfo("boom", "x", "code", null, "b"), null)) {
            ObjectNode outputs = error == null ? object("{\"a\":{\"out\":\"é ✓\"}}") : null;
            Execution plain = new Execution("ex-plain-" + (error == null), "wf-1", 1, error == null ? ExecutionStatus.SUCCEEDED
                    : ExecutionStatus.FAILED, "webhook:/x", object("{\"n\":[1,{\"m\":\"ü\"}]}"), T0, T0, T0.plusSeconds(1),
                    outputs, error, List.of(cached, failed, pending("c")));
            Execution withJson = new Execution("ex-json-" + (error == null), plain.workflowId(), 1, plain.status(), plain.trigger(),
                    plain.input(), T0, T0, T0.plusSeconds(1), outputs, error, plain.nodes());
            byte[] json = engineJson.writeValueAsBytes(withJson);
            Execution withSpans = sameButId(withJson, "ex-spans-" + (error == null));
            byte[] spansJson = engineJson.writeValueAsBytes(withSpans);

            executions.saveChanges(List.of(new ExecutionRepository.Changes(plain, true, true, List.of()),
                    new ExecutionRepository.Changes(withJson, true, true, List.of(), json),
                    new ExecutionRepository.Changes(withSpans, true, true, List.of(), spansJson, spansOf(spansJson))));

            for (Execution given : List.of(withJson, withSpans)) {
                assertEquals(sameButId(executions.find(plain.id()).orElseThrow(), given.id()), executions.find(given.id()).orElseThrow());
                assertEquals(given, executions.find(given.id()).orElseThrow(), "as it was given");
                List<Execution> listed = executions.list(new ExecutionQuery("wf-1", null, 10, null));
                assertEquals(sameButId(listedOne(listed, plain.id()), given.id()), listedOne(listed, given.id()), "the summaries too");
            }
        }
        reopen();
        assertEquals(3, executions.list(new ExecutionQuery("wf-1", ExecutionStatus.FAILED, 10, null)).size());
    }

    /** Where the engine would say input, outputs, error and nodes are (it notes them as it writes). */
    static ExecutionRepository.JsonSpans spansOf(byte[] json) throws java.io.IOException {
        int[] at = new int[8];
        List<String> fields = List.of("input", "outputs", "error", "nodes");
        try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                int field = fields.indexOf(parser.currentName());
                parser.nextToken();
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                if (field >= 0) {
                    at[2 * field] = start;
                    at[2 * field + 1] = (int) parser.currentLocation().getByteOffset();
                }
            }
        }
        return new ExecutionRepository.JsonSpans(at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7]);
    }

    private static Execution listedOne(List<Execution> listed, String id) {
        return listed.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " not listed"));
    }

    private static Execution sameButId(Execution e, String id) {
        return new Execution(id, e.workflowId(), e.workflowVersion(), e.status(), e.trigger(), e.input(), e.createdAt(),
                e.startedAt(), e.finishedAt(), e.outputs(), e.error(), e.nodes());
    }

    @Test
    void aNodeRunSavedForAnExecutionWithItsNodeRunsInItsRowTakesThePlaceOfItsOwn() throws Exception {
        NodeRun a = new NodeRun("a", "core.a", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(1), null,
                object("{\"out\":1}"), List.of(), null);
        NodeRun b = new NodeRun("b", "core.b", NodeRunStatus.FAILED, 1, T0, T0.plusMillis(2), null, null, List.of(),
                new ErrorInfo("boom", "x", "code", null, null));
        executions.insert(new Execution("ex-1", "wf-1", 1, ExecutionStatus.FAILED, "manual", object("{}"), T0, T0,
                T0.plusSeconds(1), null, null, List.of(a, b, pending("c"))));
        Execution other = new Execution("ex-2", "wf-1", 1, ExecutionStatus.SUCCEEDED, "manual", object("{}"), T0, T0,
                T0.plusSeconds(1), null, null, List.of(a));
        executions.insert(other);

        NodeRun bAgain = new NodeRun("b", "core.b", NodeRunStatus.SUCCEEDED, 2, T0, T0.plusMillis(3), null,
                object("{\"out\":2}"), List.of(), null);
        executions.saveNodeRun("ex-1", bAgain);
        NodeRun d = new NodeRun("d", "core.d", NodeRunStatus.SKIPPED, 0, null, T0, null, null, List.of(), null);
        executions.saveChanges(List.of(new ExecutionRepository.Changes(other, false, false, List.of(d))));

        assertEquals(List.of(a, bAgain, pending("c")), executions.find("ex-1").orElseThrow().nodes(), "replaced in place, order kept");
        assertEquals(List.of(a, d), executions.find("ex-2").orElseThrow().nodes(), "appended after the moved ones");
        reopen();
        assertEquals(List.of(a, bAgain, pending("c")), executions.find("ex-1").orElseThrow().nodes());
        assertEquals(List.of(a, d), executions.find("ex-2").orElseThrow().nodes());
    }

    @Test
    void aBatchOfChangesIsAllOrNothing() throws Exception {
        Execution fresh = execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a");
        Execution missing = execution("ex-missing", "wf-1", ExecutionStatus.SUCCEEDED, T0);

        assertThrows(RuntimeException.class, () -> executions.saveChanges(List.of(
                new ExecutionRepository.Changes(fresh, true, true, List.of()),
                new ExecutionRepository.Changes(missing, false, true, List.of()))));

        assertEquals(Optional.empty(), executions.find("ex-1"), "the insert was rolled back with the failed update");
    }

    // ---- durability and migrations

    @Test
    void dataSurvivesClosingAndReopening() throws Exception {
        StoredWorkflow workflow = workflow("wf-1", 1, T0);
        workflows.insert(workflow);
        Execution execution = execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a", "b");
        executions.insert(execution);
        NodeRun aDone = new NodeRun("a", "core.input", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(1), null,
                object("{\"out\":\"v\"}"), List.of(), null);
        executions.saveNodeRun("ex-1", aDone);

        reopen();

        assertEquals(Optional.of(workflow), workflows.find("wf-1"));
        Execution found = executions.find("ex-1").orElseThrow();
        assertEquals(List.of(aDone, pending("b")), found.nodes());
        assertEquals(List.of("ex-1"), executions.unfinished().stream().map(Execution::id).toList());
    }

    @Test
    void migrationRunsOnceAndIsANoOpOnReopen() throws Exception {
        workflows.insert(workflow("wf-1", 1, T0));
        reopen();

        MigrateResult again = SchemaMigrator.migrate(store.dataSource(), store.dialect());
        assertEquals(0, again.migrationsExecuted);
        assertEquals("5", again.initialSchemaVersion);
        assertEquals("1", queryString(
                "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" = '1'"));
        assertTrue(workflows.find("wf-1").isPresent());
    }

    @Test
    void aVersion1DatabaseWithHistoryIsMigratedToTheCurrentVersion() throws Exception {
        executions.insert(execution("ex-1", "wf-1", ExecutionStatus.RUNNING, T0, "a", "b"));
        NodeRun aDone = new NodeRun("a", "core.input", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusMillis(1), null,
                object("{\"out\":\"v\"}"), List.of(), null);
        executions.saveNodeRun("ex-1", aDone);
        executions.close();
        // back to the V1 schema, rows kept: what a database written before V2 looks like
        try (Connection connection = store.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE documents");
            statement.execute("ALTER TABLE node_runs DROP COLUMN cached");
            statement.execute("ALTER TABLE executions DROP COLUMN nodes");
            statement.execute("DROP INDEX executions_by_workflow");
            statement.execute("DROP INDEX executions_by_status");
            statement.execute("CREATE INDEX executions_by_created_at ON executions (created_at DESC, id DESC)");
            statement.execute("CREATE INDEX executions_by_workflow ON executions (workflow_id, created_at DESC, id DESC)");
            statement.execute("CREATE INDEX executions_by_status ON executions (status, created_at DESC, id DESC)");
            statement.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('2', '3', '4', '5')");
        }
        executions = null;
        store.close();
        store = null;
        openStore();

        assertEquals(List.of(aDone, pending("b")), executions.find("ex-1").orElseThrow().nodes(), "old node runs read as not cached");
        assertEquals("4", queryString(
                "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IN ('2', '3', '4', '5')"));
        assertEquals(List.of(), documents.list("any"), "the documents table is there again");
        assertEquals(List.of("executions_by_status: status, id", "executions_by_workflow: workflow_id, id"),
                secondaryIndexesOfExecutions(), "V5 keys them by id; executions_by_created_at is gone");
        assertEquals(List.of("ex-1"), ids(executions.list(new ExecutionQuery("wf-1", null, 10, null))));
    }

    // ---- helpers

    protected String queryString(String sql) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            assertTrue(row.next(), "no row for " + sql);
            return row.getString(1);
        }
    }

    /** The indexes of {@code executions} other than its primary key, as "name: columns", by name. */
    private List<String> secondaryIndexesOfExecutions() throws SQLException {
        Map<String, List<String>> columns = new TreeMap<>();
        try (Connection connection = store.dataSource().getConnection();
                ResultSet rows = connection.getMetaData().getIndexInfo(null, null,
                        dialect() == SqlDialect.H2 ? "EXECUTIONS" : "executions", false, false)) {
            while (rows.next()) {
                String name = rows.getString("INDEX_NAME").toLowerCase(Locale.ROOT);
                if (name.startsWith("executions_by_")) {
                    columns.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).toList();
    }

    private static List<String> ids(List<Execution> list) {
        return list.stream().map(Execution::id).toList();
    }

    static StoredWorkflow workflow(String id, int version, Instant updatedAt) {
        return new StoredWorkflow(id, version, "Workflow " + id, T0, updatedAt, document(id, "Workflow " + id, version));
    }

    static ObjectNode document(String id, String name, int version) {
        ObjectNode document = JSON.createObjectNode().put("id", id).put("name", name).put("version", version);
        ObjectNode node = document.putArray("nodes").addObject().put("id", "n1").put("type", "core.python");
        node.putObject("position").put("x", 120).put("y", 80.5);
        node.putObject("parameters").put("code", "def run(x: int) -> int:\n    return x * 2\n");
        return document;
    }

    static Execution execution(String id, String workflowId, ExecutionStatus status, Instant createdAt, String... nodes) {
        List<NodeRun> runs = new ArrayList<>();
        for (String node : nodes) {
            runs.add(pending(node));
        }
        return new Execution(id, workflowId, 3, status, "manual", object("{\"who\":\"tester\",\"n\":[1,2.5,\"three\"]}"),
                createdAt, null, null, null, null, runs);
    }

    static NodeRun pending(String node) {
        return new NodeRun(node, "core." + node, NodeRunStatus.PENDING, 0, null, null, null, null, List.of(), null);
    }

    static ObjectNode object(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return (ObjectNode) node;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

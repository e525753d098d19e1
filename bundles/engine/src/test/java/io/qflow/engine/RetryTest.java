package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Retrying a finished execution from its failed node or from the start. */
class RetryTest {

    private final TestNodes nodes = new TestNodes();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private Engine engine() {
        return Engine.builder().nodeTypes(nodes.input(), nodes.value(), nodes.fail(), nodes.block(started, release)).build();
    }

    /** a → b (fails on its first failTimes attempts) → c. */
    private static final String FLAKY = """
            {'id': 'flaky', 'name': 'flaky', 'nodes': [
              {'id': 'a', 'type': 'test.value', 'config': {'value': '{{ input.x }}'}},
              {'id': 'b', 'type': 'test.fail', 'config': {'failTimes': %d}},
              {'id': 'c', 'type': 'test.value', 'config': {'value': '{{ nodes.a.out }}'}}
            ], 'connections': [{'from': 'a.out', 'to': 'b.in'}, {'from': 'b.out', 'to': 'c.in'}]}""";

    private static NodeRun node(Execution e, String id) {
        return e.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    private static Execution failedRun(Engine engine) throws Exception {
        engine.workflows().create(json(FLAKY.formatted(1)));
        Execution failed = engine.executions().await(engine.executions().start("flaky", json("{'x': 5}"), "manual").id(),
                Duration.ofSeconds(10));
        assertEquals(ExecutionStatus.FAILED, failed.status());
        return failed;
    }

    @Test
    void retryFromTheFailedNodeKeepsWhatSucceeded() throws Exception {
        try (Engine engine = engine()) {
            Execution failed = failedRun(engine);
            // the fix: b no longer fails (attempt 1 fails, so let it fail 0 times)
            engine.workflows().update("flaky", json(FLAKY.formatted(0)));
            Execution retry = engine.executions().retry(failed.id(), false, true);
            assertEquals("retry:" + failed.id(), retry.trigger());
            assertEquals(json("{'x': 5}"), retry.input());
            assertEquals(2, retry.workflowVersion());
            Execution done = engine.executions().await(retry.id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(1, nodes.calls("a"), "a succeeded before and is not run again");
            assertEquals(2, nodes.calls("b"));
            assertEquals(node(failed, "a").outputs(), node(done, "a").outputs());
            assertTrue(node(done, "a").logs().getLast().message().contains("kept from execution " + failed.id()));
            assertEquals(json("{'c': {'out': 5}}"), done.outputs());
            assertEquals(ExecutionStatus.FAILED, engine.executions().get(failed.id()).orElseThrow().status(), "the old one is untouched");
        }
    }

    @Test
    void retryFromTheStartRunsEverythingAgain() throws Exception {
        try (Engine engine = engine()) {
            Execution failed = failedRun(engine);
            Execution retry = engine.executions().retry(failed.id(), true, true);
            Execution done = engine.executions().await(retry.id(), Duration.ofSeconds(10));
            assertEquals(2, nodes.calls("a"));
            assertEquals(ExecutionStatus.FAILED, done.status(), "b fails again on its first attempt");
            assertEquals(1, node(done, "b").attempts());
        }
    }

    @Test
    void theOriginalVersionIsUsedWhileItIsCurrentAndRefusedOnceReplaced() throws Exception {
        try (Engine engine = engine()) {
            Execution failed = failedRun(engine);
            Execution same = engine.executions().retry(failed.id(), false, false);
            assertEquals(1, same.workflowVersion());
            engine.executions().await(same.id(), Duration.ofSeconds(10));
            engine.workflows().update("flaky", json(FLAKY.formatted(0)));
            int before = engine.executions().list(new ExecutionQuery("flaky", null, 100, null)).size();
            ConflictException gone = assertThrows(ConflictException.class, () -> engine.executions().retry(failed.id(), false, false));
            assertTrue(gone.getMessage().contains("version 1"), gone.getMessage());
            assertEquals(before, engine.executions().list(new ExecutionQuery("flaky", null, 100, null)).size());
        }
    }

    @Test
    void unfinishedOrSucceededExecutionsAreRefusedAndNothingIsCreated() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'slow', 'name': 'slow', 'nodes': [{'id': 'b', 'type': 'test.block'}]}"));
            String running = engine.executions().start("slow", null, "manual").id();
            started.await();
            assertThrows(ConflictException.class, () -> engine.executions().retry(running, true, true));
            release.countDown();
            Execution done = engine.executions().await(running, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertThrows(ConflictException.class, () -> engine.executions().retry(running, false, true), "nothing failed");
            assertEquals(1, engine.executions().list(new ExecutionQuery("slow", null, 100, null)).size());
            assertThrows(NotFoundException.class, () -> engine.executions().retry("nope", true, true));
            Execution again = engine.executions().await(engine.executions().retry(running, true, true).id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, again.status());
        }
    }
}

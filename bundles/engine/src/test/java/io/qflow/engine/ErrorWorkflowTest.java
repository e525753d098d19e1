package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** settings.errorWorkflow: a failed execution starts another workflow with the failure. */
class ErrorWorkflowTest {

    private final TestNodes nodes = new TestNodes();

    private Engine engine() {
        return Engine.builder().nodeTypes(nodes.input(), nodes.value(), nodes.fail()).build();
    }

    private static final String HANDLER = """
            {'id': 'on-error', 'name': 'On error', 'nodes': [{'id': 'got', 'type': 'test.input'}]}""";

    private static List<Execution> runsOf(Engine engine, String workflowId) {
        return engine.executions().list(new ExecutionQuery(workflowId, null, 100, null));
    }

    private static Execution awaitFirstRun(Engine engine, String workflowId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (runsOf(engine, workflowId).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no run of " + workflowId);
            }
            Thread.sleep(5);
        }
        return engine.executions().await(runsOf(engine, workflowId).getFirst().id(), Duration.ofSeconds(10));
    }

    @Test
    void aFailedExecutionStartsItsErrorWorkflowWithTheFailure() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(HANDLER));
            engine.workflows().create(json("""
                    {'id': 'main', 'name': 'Main', 'settings': {'errorWorkflow': 'on-error'},
                     'nodes': [{'id': 'boom', 'type': 'test.fail'}]}"""));
            Execution failed = engine.executions().await(engine.executions().start("main", null, "manual").id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.FAILED, failed.status());

            Execution handled = awaitFirstRun(engine, "on-error");
            assertEquals("error:" + failed.id(), handled.trigger());
            assertEquals(ExecutionStatus.SUCCEEDED, handled.status());
            assertEquals(failed.id(), handled.input().at("/execution/id").asText());
            assertEquals("main", handled.input().at("/execution/workflowId").asText());
            assertEquals("boom", handled.input().at("/execution/failedNode").asText());
            assertEquals("test.boom", handled.input().at("/execution/error/code").asText());
            assertTrue(handled.input().at("/execution/error/message").asText().contains("boom"));
            assertEquals(json("{'id': 'main', 'name': 'Main'}"), handled.input().get("workflow"));
        }
    }

    @Test
    void succeededExecutionsStartNothing() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(HANDLER));
            engine.workflows().create(json("""
                    {'id': 'fine', 'name': 'Fine', 'settings': {'errorWorkflow': 'on-error'},
                     'nodes': [{'id': 'v', 'type': 'test.value', 'config': {'value': 1}}]}"""));
            engine.executions().await(engine.executions().start("fine", null, "manual").id(), Duration.ofSeconds(10));
            Thread.sleep(50);
            assertEquals(0, runsOf(engine, "on-error").size());
        }
    }

    @Test
    void aFailingErrorWorkflowDoesNotStartItselfAgain() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("""
                    {'id': 'loop', 'name': 'Loop', 'settings': {'errorWorkflow': 'loop'},
                     'nodes': [{'id': 'boom', 'type': 'test.fail'}]}"""));
            Execution first = engine.executions().await(engine.executions().start("loop", null, "manual").id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.FAILED, first.status());
            Instant deadline = Instant.now().plusSeconds(10);
            while (runsOf(engine, "loop").size() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(5);
            }
            Execution errorRun = engine.executions().await(runsOf(engine, "loop").getFirst().id(), Duration.ofSeconds(10));
            assertEquals("error:" + first.id(), errorRun.trigger());
            assertEquals(ExecutionStatus.FAILED, errorRun.status());
            Thread.sleep(100);
            assertEquals(2, runsOf(engine, "loop").size(), "the failed error run starts no further run");
        }
    }

    @Test
    void aMissingErrorWorkflowIsAProblemAtSave() throws Exception {
        try (Engine engine = engine()) {
            String doc = """
                    {'id': 'orphan', 'name': 'Orphan', 'settings': {'errorWorkflow': 'nowhere'},
                     'nodes': [{'id': 'v', 'type': 'test.value', 'config': {'value': 1}}]}""";
            ValidationException refused = assertThrows(ValidationException.class, () -> engine.workflows().create(json(doc)));
            assertEquals(1, refused.problems().size(), refused.problems().toString());
            assertEquals("/settings/errorWorkflow", refused.problems().get(0).field());
            assertTrue(refused.problems().get(0).message().contains("'nowhere'"));
            assertEquals("/settings/errorWorkflow", engine.workflows().validate(json(doc)).problems().get(0).field());
            ValidationException notAnId = assertThrows(ValidationException.class, () -> engine.workflows().create(json(
                    doc.replace("'nowhere'", "42"))));
            assertEquals("/settings/errorWorkflow", notAnId.problems().get(0).field());

            engine.workflows().create(json(HANDLER));
            StoredWorkflow saved = engine.workflows().create(json(doc.replace("nowhere", "on-error")));
            ValidationException update = assertThrows(ValidationException.class, () -> engine.workflows().update(saved.id(),
                    json(doc.replace("nowhere", "gone"))));
            assertEquals("/settings/errorWorkflow", update.problems().get(0).field());
        }
    }
}

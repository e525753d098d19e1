package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import io.qflow.engine.internal.memory.InMemoryWorkflowRepository;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine keeps the workflows it runs in memory: an update or a delete must reach the next run. */
class WorkflowChangesTest {

    private static final String WF = "{'schemaVersion': 1, 'id': 'wf', 'name': 'v', 'nodes': ["
            + "{'id': 'v', 'type': 'test.value', 'config': {'value': %d}}], 'connections': []}";

    @Test
    void theNextRunUsesTheUpdatedWorkflowAndADeletedOneNoLongerRuns() throws Exception {
        TestNodes nodes = new TestNodes();
        try (Engine engine = Engine.builder().nodeTypes(nodes.value()).workflowRepository(new InMemoryWorkflowRepository())
                .executionRepository(new InMemoryExecutionRepository()).build()) {
            engine.workflows().create(json(WF.formatted(1)));
            assertEquals(1, valueOf(engine.executions().run("wf", null, "manual", Duration.ofSeconds(10))));

            engine.workflows().update("wf", json(WF.formatted(2)));
            assertEquals(2, valueOf(engine.executions().run("wf", null, "manual", Duration.ofSeconds(10))));

            engine.workflows().delete("wf");
            assertThrows(NotFoundException.class, () -> engine.executions().start("wf", null, "manual"));
        }
    }

    /** Nodes that read the workflow's settings (the Python adapter) see the version their run uses. */
    @Test
    void aRunShowsItsWorkflowVersionsPythonSettings() throws Exception {
        String doc = "{'schemaVersion': 1, 'id': 'py', 'name': 'py', 'settings': {'python': {'version': '%s'}}, 'nodes': ["
                + "{'id': 'v', 'type': 'test.value', 'config': {'value': '{{ execution.settings.python.version }}'}}], 'connections': []}";
        String none = "{'schemaVersion': 1, 'id': 'py', 'name': 'py', 'nodes': ["
                + "{'id': 'v', 'type': 'test.value', 'config': {'value': '{{ execution.settings.python }}'}}], 'connections': []}";
        TestNodes nodes = new TestNodes();
        try (Engine engine = Engine.builder().nodeTypes(nodes.value()).workflowRepository(new InMemoryWorkflowRepository())
                .executionRepository(new InMemoryExecutionRepository()).build()) {
            engine.workflows().create(json(doc.formatted("3.11")));
            assertEquals("3.11", outputOf(engine.executions().run("py", null, "manual", Duration.ofSeconds(10))).asText());
            engine.workflows().update("py", json(doc.formatted("3.13")));
            assertEquals("3.13", outputOf(engine.executions().run("py", null, "manual", Duration.ofSeconds(10))).asText());
            engine.workflows().update("py", json(none));
            assertEquals(json("{}"), outputOf(engine.executions().run("py", null, "manual", Duration.ofSeconds(10))));
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode outputOf(Execution execution) {
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), String.valueOf(execution.error()));
        return execution.outputs().get("v").get("out");
    }

    private static int valueOf(Execution execution) {
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), String.valueOf(execution.error()));
        return execution.outputs().get("v").get("out").intValue();
    }
}

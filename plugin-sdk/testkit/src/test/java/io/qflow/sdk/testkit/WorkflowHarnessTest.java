package io.qflow.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qflow.engine.Execution;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.junit.jupiter.api.Test;

/** Needs the engine implementation (Engine.builder().build()). */
class WorkflowHarnessTest {

    static final class StartNode implements NodeType {
        @Override public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.start").output("out", DataType.ANY, "the run input").build();
        }

        @Override public NodeResult execute(NodeContext ctx) throws Exception {
            return NodeResult.of("out", ctx.evaluate("{{ input }}", java.util.Map.of()));
        }
    }

    static final class UpperNode implements NodeType {
        @Override public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.upper")
                    .input("in", DataType.STRING, "text", true)
                    .output("out", DataType.STRING, "upper-cased").build();
        }

        @Override public NodeResult execute(NodeContext ctx) {
            return NodeResult.of("out", com.fasterxml.jackson.databind.node.TextNode.valueOf(ctx.input("in").asText().toUpperCase()));
        }
    }

    @Test
    void runsAWorkflowOnTheInMemoryEngine() throws Exception {
        String workflow = """
                {"schemaVersion": 1, "name": "upper",
                 "nodes": [{"id": "start", "type": "test.start"}, {"id": "up", "type": "test.upper"}],
                 "connections": [{"from": "start.out", "to": "up.in"}]}
                """;
        try (WorkflowHarness harness = WorkflowHarness.with(new StartNode(), new UpperNode())) {
            Execution done = harness.runExpectingSuccess(workflow, "\"hello\"");
            assertEquals("HELLO", done.outputs().at("/up/out").asText());
        }
    }
}

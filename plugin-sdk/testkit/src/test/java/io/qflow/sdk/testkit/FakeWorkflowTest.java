package io.qflow.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** NodeHarness.workflow: fake stored workflows for nodes that call NodeContext.runWorkflow. */
class FakeWorkflowTest {

    /** Runs config.workflow with its {@code in}. */
    static final class CallNode implements NodeType {
        private static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("test.call")
                .input("in", DataType.ANY, "", false).output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public NodeResult execute(NodeContext ctx) throws NodeException {
            return NodeResult.of("out", ctx.runWorkflow(ctx.config().path("workflow").asText(), ctx.input("in"), Duration.ofSeconds(5)));
        }
    }

    @Test
    void aFakeWorkflowGetsTheInputAndGivesTheOutputs() {
        NodeHarness.of(new CallNode()).workflow("echo", input -> TestJson.parse("{\"end\": {\"out\": " + input + "}}", "outputs"))
                .config("{\"workflow\": \"echo\"}").input("in", "{\"a\": 1}").run()
                .assertEmits("out", "{\"end\": {\"out\": {\"a\": 1}}}")
                .assertLogged("info", "echo");
    }

    @Test
    void unknownFailingAndCancelledWorkflows() {
        NodeHarness.of(new CallNode()).config("{\"workflow\": \"nope\"}").runExpectingFailure("workflow.not_found");
        NodeException failed = NodeHarness.of(new CallNode()).workflow("bad", input -> {
            throw new NodeException("other.code", "went wrong");
        }).config("{\"workflow\": \"bad\"}").runExpectingFailure("workflow.failed");
        assertTrue(failed.getMessage().contains("went wrong"), failed.getMessage());
        NodeHarness.of(new CallNode()).workflow("rec", input -> {
            throw new NodeException("workflow.recursion", "again");
        }).config("{\"workflow\": \"rec\"}").runExpectingFailure("workflow.recursion");
        NodeOutcome cancelled = NodeHarness.of(new CallNode()).workflow("slow", input -> {
            new CountDownLatch(1).await();
            return input;
        }).config("{\"workflow\": \"slow\"}").cancelAfter(Duration.ofMillis(50)).run();
        assertInstanceOf(java.util.concurrent.CancellationException.class, cancelled.failure());
    }

    @Test
    void withoutFakesTheDefaultOfTheSdkIsNotUsed() {
        // HarnessContext implements runWorkflow: an unknown id is workflow.not_found, not workflow.unsupported
        NodeHarness.of(new CallNode()).config("{\"workflow\": \"x\"}").runExpectingFailure("workflow.not_found");
    }
}

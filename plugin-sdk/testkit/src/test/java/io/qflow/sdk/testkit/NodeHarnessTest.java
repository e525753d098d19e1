package io.qflow.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeHarnessTest {

    /** Emits its resolved config on {@code out} and what it received on {@code echo}. */
    static final class EchoNode implements NodeType {
        static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("test.echo")
                .input("in", DataType.ANY, "anything", false)
                .input("other", DataType.ANY, "anything", false)
                .output("out", DataType.ANY, "the resolved config")
                .output("echo", DataType.ANY, "the inputs")
                .deferredConfig("perItem")
                .build();

        @Override public NodeDescriptor descriptor() { return DESCRIPTOR; }

        @Override
        public NodeResult execute(NodeContext ctx) throws Exception {
            ctx.log().info("running " + ctx.nodeId() + " attempt " + ctx.attempt());
            ctx.progress(0.5, "half");
            ObjectNode echo = JsonNodeFactory.instance.objectNode();
            ctx.inputs().forEach(echo::set);
            echo.put("inMissing", ctx.input("in").isMissingNode());
            if (ctx.config().path("fail").asBoolean()) {
                throw NodeException.permanent("test.failed", "asked to fail");
            }
            if (ctx.config().path("sleep").asBoolean()) {
                Thread.sleep(60_000);
            }
            if (ctx.config().path("badPort").asBoolean()) {
                return NodeResult.of("nope", echo);
            }
            if (ctx.config().has("perItem")) {
                echo.set("evaluated", ctx.evaluate(ctx.config().get("perItem").asText(), Map.of("item", IntNode.valueOf(41))));
            }
            return NodeResult.of(Map.of("out", ctx.config(), "echo", echo));
        }
    }

    @Test
    void passesConfigAndInputsAndCapturesOutputsLogsAndProgress() {
        NodeOutcome out = NodeHarness.of(new EchoNode())
                .config("{\"a\": 1, \"nested\": {\"list\": [\"plain\", true]}}")
                .input("in", "{\"x\": 1}")
                .inputText("other", "text")
                .nodeId("n1").attempt(2)
                .runExpectingSuccess();

        out.assertEmits("out", "{\"a\": 1.0, \"nested\": {\"list\": [\"plain\", true]}}")
                .assertEmits("echo", "{\"in\": {\"x\": 1}, \"other\": \"text\", \"inMissing\": false}")
                .assertEmitsOnly("out", "echo")
                .assertLogged("info", "running n1 attempt 2");
        assertEquals(1, out.progress().size());
        assertEquals(0.5, out.progress().getFirst().fraction());
    }

    @Test
    void missingInputIsAMissingNode() {
        NodeHarness.of(new EchoNode()).run().assertEmits("echo", "{\"inMissing\": true}");
    }

    @Test
    void deferredConfigIsLeftAsWritten() {
        NodeOutcome out = NodeHarness.of(new EchoNode())
                .config("{\"perItem\": \"{{ item.price > 10 }}\"}")
                .run();
        // the harness never evaluated it (the node then does, through ctx.evaluate)
        assertEquals("{{ item.price > 10 }}", out.config().get("perItem").asText());
    }

    @Test
    void nodeFailureIsCapturedNotThrown() {
        NodeOutcome out = NodeHarness.of(new EchoNode()).config("{\"fail\": true}").run();
        assertFalse(out.succeeded());
        NodeException e = out.assertFails("test.failed");
        assertFalse(e.retryable());
        AssertionError wrongCode = assertThrows(AssertionError.class, () -> out.assertFails("other"));
        assertTrue(wrongCode.getMessage().contains("test.failed"), wrongCode.getMessage());
        AssertionError notSuccess = assertThrows(AssertionError.class, out::assertSuccess);
        assertTrue(notSuccess.getMessage().contains("asked to fail"), notSuccess.getMessage());
        assertThrows(AssertionError.class, () -> out.output("out"));
    }

    @Test
    void assertEmitsExplainsTheDifference() {
        NodeOutcome out = NodeHarness.of(new EchoNode()).config("{\"a\": 1}").run();
        AssertionError e = assertThrows(AssertionError.class, () -> out.assertEmits("out", "{\"a\": 2}"));
        assertTrue(e.getMessage().contains("{\"a\":1}"), e.getMessage());
        AssertionError none = assertThrows(AssertionError.class, () -> out.assertEmits("nothing", "1"));
        assertTrue(none.getMessage().contains("did not emit"), none.getMessage());
    }

    @Test
    void emittingOnAnUndeclaredPortFails() {
        NodeOutcome out = NodeHarness.of(new EchoNode()).config("{\"badPort\": true}").run();
        assertInstanceOf(IllegalStateException.class, out.failure());
        assertTrue(out.failure().getMessage().contains("nope"));
    }

    @Test
    void inputOnAnUnknownPortIsAHarnessMistake() {
        NodeHarness harness = NodeHarness.of(new EchoNode()).input("bogus", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, harness::run);
        assertTrue(e.getMessage().contains("bogus"));
    }

    @Test
    void invalidJsonIsReportedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeHarness.of(new EchoNode()).input("in", "hello"));
        assertTrue(e.getMessage().contains("input 'in'"), e.getMessage());
    }

    @Test
    void cancelAfterInterruptsTheNode() {
        long start = System.nanoTime();
        NodeOutcome out = NodeHarness.of(new EchoNode()).config("{\"sleep\": true}")
                .cancelAfter(Duration.ofMillis(100)).run();
        assertInstanceOf(InterruptedException.class, out.failure());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
    }

    // --- with the engine's expression evaluator (Engine.expressions()) ---

    @Test
    void resolvesExpressionsEverywhereInTheConfig() {
        NodeOutcome out = NodeHarness.of(new EchoNode())
                .config("{\"x\": \"{{ in.a + 1 }}\", \"deep\": [{\"msg\": \"hi {{ input.name }}\"}],"
                        + " \"v\": \"{{ vars.k }}\", \"e\": \"{{ execution.id }}\", \"o\": \"{{ inputs.other }}\","
                        + " \"n\": \"{{ nodes.up.out }}\"}")
                .input("in", "{\"a\": 1}")
                .input("other", "\"o\"")
                .runInput("{\"name\": \"Ada\"}")
                .vars("{\"k\": true}")
                .nodes("{\"up\": {\"out\": [1]}}")
                .executionId("ex-1")
                .runExpectingSuccess();
        out.assertEmits("out", "{\"x\": 2, \"deep\": [{\"msg\": \"hi Ada\"}], \"v\": true, \"e\": \"ex-1\","
                + " \"o\": \"o\", \"n\": [1]}");
    }

    @Test
    void contextEvaluateSeesWorkflowVariablesAndExtras() {
        NodeHarness.of(new EchoNode())
                .config("{\"perItem\": \"{{ item + input.n }}\"}")
                .runInput("{\"n\": 1}")
                .runExpectingSuccess()
                .assertEmits("out", "{\"perItem\": \"{{ item + input.n }}\"}")
                .assertEmits("echo", "{\"inMissing\": true, \"evaluated\": 42}");
    }

    @Test
    void aBrokenExpressionFailsWithCodeExpression() {
        NodeException e = NodeHarness.of(new EchoNode())
                .config("{\"x\": \"{{ nosuchvariable.y }}\"}")
                .runExpectingFailure("expression");
        assertTrue(e.getMessage().contains("/x"), e.getMessage());
    }
}

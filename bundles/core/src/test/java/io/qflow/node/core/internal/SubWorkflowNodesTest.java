package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.NodeOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** core.workflow, core.foreach with a sub-workflow and core.while, on the SDK harness with fake workflows. */
class SubWorkflowNodesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A fake child that doubles {@code input.n} (or {@code input.item}) and emits it on {@code double.out}. */
    private static JsonNode doubled(JsonNode input) {
        JsonNode n = input.has("n") ? input.get("n") : input.get("item");
        ObjectNode outputs = JSON.createObjectNode();
        outputs.putObject("double").put("out", n.asInt() * 2);
        return outputs;
    }

    // --- core.workflow

    @Test
    void workflowPassesInAndEmitsTheChildOutputs() {
        NodeHarness.of(new WorkflowNode()).workflow("double", SubWorkflowNodesTest::doubled)
                .config("{\"workflow\": \"double\"}").input("in", "{\"n\": 21}").run()
                .assertEmits("out", "{\"double\": {\"out\": 42}}")
                .assertLogged("info", "double");
    }

    @Test
    void workflowInputTemplate() {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        NodeHarness.of(new WorkflowNode()).workflow("child", input -> {
            seen.add(input);
            return json("{'end': {'out': true}}");
        }).config("{\"workflow\": \"child\", \"input\": {\"n\": \"{{ in.a + 1 }}\", \"fixed\": \"x\"}}")
                .input("in", "{\"a\": 1}").runExpectingSuccess();
        assertEquals(List.of(json("{'n': 2, 'fixed': 'x'}")), seen);
    }

    @Test
    void workflowWithoutInGivesTheChildAnEmptyObject() {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        NodeHarness.of(new WorkflowNode()).workflow("child", input -> {
            seen.add(input);
            return json("{}");
        }).config("{\"workflow\": \"child\"}").run().assertEmits("out", "{}");
        assertEquals(List.of(json("{}")), seen);
    }

    @Test
    void workflowUnknownIdAndFailingChild() {
        NodeException unknown = NodeHarness.of(new WorkflowNode()).config("{\"workflow\": \"nope\"}")
                .runExpectingFailure("workflow.not_found");
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
        NodeException failed = NodeHarness.of(new WorkflowNode()).workflow("bad", input -> {
            throw new IllegalStateException("kaput");
        }).config("{\"workflow\": \"bad\"}").runExpectingFailure("workflow.failed");
        assertTrue(failed.getMessage().contains("kaput"), failed.getMessage());
        NodeHarness.of(new WorkflowNode()).runExpectingFailure("config.invalid");
        NodeHarness.of(new WorkflowNode()).config("{\"workflow\": \"x\", \"timeoutSeconds\": 0}").workflow("x", i -> i)
                .runExpectingFailure("config.invalid");
    }

    // --- core.foreach with a sub-workflow

    @Test
    void forEachRunsTheWorkflowPerItemWithItemAndIndex() {
        NodeHarness.of(new ForEachNode()).workflow("double", SubWorkflowNodesTest::doubled)
                .config("{\"workflow\": \"double\"}").input("in", "[1, 2, 3]").run()
                .assertEmits("out", "[{\"double\": {\"out\": 2}}, {\"double\": {\"out\": 4}}, {\"double\": {\"out\": 6}}]");
    }

    @Test
    void forEachDefaultChildInputIsItemAndIndex() {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        NodeHarness.of(new ForEachNode()).workflow("child", input -> {
            seen.add(input);
            return input;
        }).config("{\"workflow\": \"child\", \"concurrency\": 1}").input("in", "[\"a\", \"b\"]").run()
                .assertEmits("out", "[{\"item\": \"a\", \"index\": 0}, {\"item\": \"b\", \"index\": 1}]");
        assertEquals(List.of(json("{'item': 'a', 'index': 0}"), json("{'item': 'b', 'index': 1}")), seen);
    }

    @Test
    void forEachInputTemplateIsEvaluatedPerItem() {
        NodeHarness.of(new ForEachNode()).workflow("double", SubWorkflowNodesTest::doubled)
                .config("{\"workflow\": \"double\", \"input\": {\"n\": \"{{ item.v + index }}\"}}")
                .input("in", "[{\"v\": 10}, {\"v\": 20}]").run()
                .assertEmits("out", "[{\"double\": {\"out\": 20}}, {\"double\": {\"out\": 42}}]");
    }

    @Test
    void forEachRunsItemsConcurrentlyAndKeepsTheirOrder() {
        // Item i finishes only after item i + 1 has: they complete in reverse order, which needs all
        // four running at once, and the results must still be in item order.
        int count = 4;
        CountDownLatch[] finished = new CountDownLatch[count];
        for (int i = 0; i < count; i++) {
            finished[i] = new CountDownLatch(1);
        }
        NodeHarness.of(new ForEachNode()).workflow("chain", input -> {
            int index = input.get("index").asInt();
            if (index + 1 < count && !finished[index + 1].await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("item " + (index + 1) + " did not run alongside item " + index);
            }
            finished[index].countDown();
            return json("{'end': {'out': " + index + "}}");
        }).config("{\"workflow\": \"chain\", \"concurrency\": 4}").input("in", "[\"a\", \"b\", \"c\", \"d\"]").run()
                .assertEmits("out", "[{\"end\": {\"out\": 0}}, {\"end\": {\"out\": 1}}, {\"end\": {\"out\": 2}}, {\"end\": {\"out\": 3}}]");
    }

    @Test
    void forEachNeverRunsMoreItemsThanTheConcurrency() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        NodeHarness.of(new ForEachNode()).workflow("count", input -> {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            Thread.onSpinWait();
            running.decrementAndGet();
            return json("{}");
        }).config("{\"workflow\": \"count\", \"concurrency\": 2}").input("in", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]").runExpectingSuccess();
        assertTrue(peak.get() <= 2, "at most 2 at once, saw " + peak.get());
    }

    @Test
    void forEachFirstFailureCancelsTheOtherItemsAndFailsTheNode() {
        CountDownLatch othersStarted = new CountDownLatch(3);
        AtomicInteger interrupted = new AtomicInteger();
        NodeException failed = NodeHarness.of(new ForEachNode()).workflow("child", input -> {
            int index = input.get("index").asInt();
            if (index == 2) {
                othersStarted.await(10, TimeUnit.SECONDS);
                throw new NodeException("workflow.failed", "sub-workflow execution x failed: boom");
            }
            othersStarted.countDown();
            try {
                new CountDownLatch(1).await(); // blocks until cancelled
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return json("{}");
        }).config("{\"workflow\": \"child\", \"concurrency\": 4}").input("in", "[0, 1, 2, 3, 4, 5]").runExpectingFailure("workflow.failed");
        assertTrue(failed.getMessage().startsWith("item 2: "), failed.getMessage());
        assertEquals(3, interrupted.get(), "the three other running items were cancelled");
    }

    @Test
    void forEachContinueOnItemErrorCollectsErrors() {
        NodeHarness.of(new ForEachNode()).workflow("child", input -> {
            if (input.get("item").asInt() < 0) {
                throw new NodeException("data.invalid", "negative");
            }
            return SubWorkflowNodesTest.doubled(input);
        }).config("{\"workflow\": \"child\", \"continueOnItemError\": true}").input("in", "[1, -1, 2]").run()
                .assertEmits("out", "[{\"double\": {\"out\": 2}}, "
                        + "{\"error\": {\"message\": \"sub-workflow 'child' failed: negative\", \"code\": \"workflow.failed\"}}, "
                        + "{\"double\": {\"out\": 4}}]");
    }

    @Test
    void forEachCancelledStopsItsItems() {
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        NodeOutcome out = NodeHarness.of(new ForEachNode()).workflow("child", input -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return json("{}");
        }).config("{\"workflow\": \"child\", \"concurrency\": 2}").input("in", "[1, 2, 3]").cancelAfter(Duration.ofMillis(100)).run();
        assertTrue(out.failure() instanceof java.util.concurrent.CancellationException, String.valueOf(out.failure()));
        assertEquals(2 - started.getCount(), interrupted.get(), "every item that had started was interrupted");
    }

    @Test
    void forEachWorkflowConfigIsChecked() {
        NodeHarness.of(new ForEachNode()).workflow("x", i -> i).config("{\"workflow\": \"x\", \"concurrency\": 65}")
                .input("in", "[1]").runExpectingFailure("config.invalid");
        NodeHarness.of(new ForEachNode()).workflow("x", i -> i).config("{\"workflow\": \"x\", \"concurrency\": 0}")
                .input("in", "[1]").runExpectingFailure("config.invalid");
        NodeHarness.of(new ForEachNode()).config("{\"workflow\": \"missing\"}").input("in", "[1]")
                .runExpectingFailure("workflow.not_found");
        NodeHarness.of(new ForEachNode()).config("{\"workflow\": \"missing\"}").input("in", "[]").run().assertEmits("out", "[]");
    }

    // --- core.while

    /** A fake child that adds one to {@code input.n}, on {@code add.out}. */
    private static JsonNode addOne(JsonNode input) {
        ObjectNode outputs = JSON.createObjectNode();
        outputs.putObject("add").putObject("out").put("n", input.get("n").asInt() + 1);
        return outputs;
    }

    @Test
    void whileCountsUpToTheCondition() {
        NodeHarness.of(new WhileNode()).workflow("inc", SubWorkflowNodesTest::addOne)
                .config("{\"workflow\": \"inc\", \"condition\": \"{{ state.n < 5 }}\", \"maxIterations\": 100, \"stateFrom\": \"add.out\"}")
                .input("in", "{\"n\": 0}").run()
                .assertEmits("out", "{\"n\": 5}")
                .assertEmits("iterations", "5");
    }

    @Test
    void whileWithoutStateFromUsesTheWholeOutputs() {
        NodeHarness.of(new WhileNode()).workflow("inc", input -> addOne(input.has("add") ? input.get("add").get("out") : input))
                .config("{\"workflow\": \"inc\", \"condition\": \"{{ iteration < 2 }}\", \"maxIterations\": 10}")
                .input("in", "{\"n\": 0}").run()
                .assertEmits("out", "{\"add\": {\"out\": {\"n\": 2}}}")
                .assertEmits("iterations", "2");
    }

    @Test
    void whileInputTemplateSeesStateAndIteration() {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        NodeHarness.of(new WhileNode()).workflow("inc", input -> {
            seen.add(input);
            return addOne(input);
        }).config("{\"workflow\": \"inc\", \"condition\": \"{{ state.n < 2 }}\", \"maxIterations\": 10, \"stateFrom\": \"add.out\", "
                + "\"input\": {\"n\": \"{{ state.n }}\", \"i\": \"{{ iteration }}\"}}")
                .input("in", "{\"n\": 0}").runExpectingSuccess();
        assertEquals(List.of(json("{'n': 0, 'i': 0}"), json("{'n': 1, 'i': 1}")), seen);
    }

    @Test
    void whileFalseAtOnceEmitsTheInitialState() {
        NodeHarness.of(new WhileNode()).config("{\"workflow\": \"inc\", \"condition\": false, \"maxIterations\": 1}")
                .input("in", "{\"n\": 7}").run()
                .assertEmits("out", "{\"n\": 7}").assertEmits("iterations", "0");
    }

    @Test
    void whileHittingTheLimitFailsOrStops() {
        String config = "{\"workflow\": \"inc\", \"condition\": \"{{ state.n < 100 }}\", \"maxIterations\": 3, \"stateFrom\": \"add.out\"";
        NodeException limit = NodeHarness.of(new WhileNode()).workflow("inc", SubWorkflowNodesTest::addOne).config(config + "}")
                .input("in", "{\"n\": 0}").runExpectingFailure("loop.limit");
        assertTrue(limit.getMessage().contains("3 iterations"), limit.getMessage());
        NodeHarness.of(new WhileNode()).workflow("inc", SubWorkflowNodesTest::addOne).config(config + ", \"onLimit\": \"stop\"}")
                .input("in", "{\"n\": 0}").run()
                .assertEmits("out", "{\"n\": 3}").assertEmits("iterations", "3");
    }

    @Test
    void whileBadConfigAndMissingState() {
        NodeHarness.of(new WhileNode()).workflow("inc", SubWorkflowNodesTest::addOne)
                .config("{\"workflow\": \"inc\", \"condition\": \"{{ state.n }}\", \"maxIterations\": 3}")
                .input("in", "{\"n\": 0}").runExpectingFailure("config.invalid");
        NodeHarness.of(new WhileNode()).config("{\"workflow\": \"inc\", \"condition\": true}").runExpectingFailure("config.invalid");
        NodeHarness.of(new WhileNode()).config("{\"workflow\": \"inc\", \"condition\": true, \"maxIterations\": 10001}")
                .runExpectingFailure("config.invalid");
        NodeException missing = NodeHarness.of(new WhileNode()).workflow("inc", SubWorkflowNodesTest::addOne)
                .config("{\"workflow\": \"inc\", \"condition\": true, \"maxIterations\": 3, \"stateFrom\": \"add.nope\"}")
                .input("in", "{\"n\": 0}").runExpectingFailure("data.invalid");
        assertTrue(missing.getMessage().contains("add.nope"), missing.getMessage());
        NodeHarness.of(new WhileNode()).config("{\"workflow\": \"nope\", \"condition\": true, \"maxIterations\": 3}")
                .runExpectingFailure("workflow.not_found");
    }
}

package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.PortSpec;
import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.NodeOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowNodesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // --- core.if

    @Test
    void ifRoutesToTrue() {
        NodeHarness.of(new IfNode()).config("{\"condition\": true}").input("in", "{\"a\": 1}").run()
                .assertEmitsOnly("true").assertEmits("true", "{\"a\": 1}");
    }

    @Test
    void ifRoutesToFalse() {
        NodeHarness.of(new IfNode()).config("{\"condition\": false}").input("in", "[1, 2]").run()
                .assertEmitsOnly("false").assertEmits("false", "[1, 2]");
    }

    @Test
    void ifRefusesANonBooleanConditionNamingTheValue() {
        NodeException e = NodeHarness.of(new IfNode()).config("{\"condition\": \"yes\"}").input("in", "1")
                .runExpectingFailure("config.invalid");
        assertTrue(e.getMessage().contains("\"yes\""), e.getMessage());
        NodeHarness.of(new IfNode()).input("in", "1").runExpectingFailure("config.invalid");
    }

    @Test
    void ifEvaluatesAnExpressionConditionAgainstIn() {
        // needs the engine's expression evaluator
        NodeHarness.of(new IfNode()).config("{\"condition\": \"{{ in.score > 80 }}\"}")
                .input("in", "{\"score\": 90}").run().assertEmitsOnly("true");
    }

    // --- core.switch

    private static final String CASES = "{\"cases\": [{\"port\": \"high\", \"condition\": %s},"
            + " {\"port\": \"medium\", \"condition\": %s}], \"mode\": \"%s\", \"fallback\": %s}";

    @Test
    void switchPortsFollowTheCases() throws Exception {
        NodePorts ports = new SwitchNode().ports(JSON.readTree(CASES.formatted(true, true, "first", true)));
        assertEquals(List.of("high", "medium", "default"), ports.outputs().stream().map(PortSpec::name).toList());
        assertEquals(List.of("in"), ports.inputs().stream().map(PortSpec::name).toList());
    }

    @Test
    void switchPortsFallBackToTheDescriptorForMalformedConfig() throws Exception {
        SwitchNode node = new SwitchNode();
        for (String bad : List.of("{\"cases\": 3}", "{\"cases\": [{\"port\": \"no spaces allowed\"}]}", "{\"cases\": [{}]}", "[]")) {
            assertEquals(node.descriptor().ports(), node.ports(JSON.readTree(bad)), bad);
        }
        assertEquals(node.descriptor().ports(), node.ports(null));
    }

    @Test
    void switchFirstModeEmitsOnTheFirstMatch() {
        NodeHarness.of(new SwitchNode()).config(CASES.formatted(true, true, "first", true)).input("in", "7").run()
                .assertEmitsOnly("high").assertEmits("high", "7");
    }

    @Test
    void switchAllModeEmitsOnEveryMatch() {
        NodeHarness.of(new SwitchNode()).config(CASES.formatted(true, true, "all", true)).input("in", "7").run()
                .assertEmitsOnly("high", "medium");
    }

    @Test
    void switchFallsBackToDefault() {
        NodeHarness.of(new SwitchNode()).config(CASES.formatted(false, false, "first", true)).input("in", "7").run()
                .assertEmitsOnly("default").assertEmits("default", "7");
        NodeHarness.of(new SwitchNode()).config(CASES.formatted(false, false, "first", false)).input("in", "7").run()
                .assertEmitsOnly();
    }

    @Test
    void switchRefusesANonBooleanCondition() {
        NodeException e = NodeHarness.of(new SwitchNode()).config(CASES.formatted(false, "\"maybe\"", "first", true))
                .input("in", "7").runExpectingFailure("config.invalid");
        assertTrue(e.getMessage().contains("cases[1].condition"), e.getMessage());
    }

    @Test
    void switchEvaluatesCaseConditionsAgainstIn() {
        // needs the engine's expression evaluator
        NodeHarness.of(new SwitchNode())
                .config(CASES.formatted("\"{{ in.score > 80 }}\"", "\"{{ in.score > 50 }}\"", "first", true))
                .input("in", "{\"score\": 60}").run().assertEmitsOnly("medium");
    }

    // --- core.merge

    @Test
    void mergePortsFollowTheInputCount() throws Exception {
        NodePorts ports = new MergeNode().ports(JSON.readTree("{\"inputs\": 4}"));
        assertEquals(List.of("in1", "in2", "in3", "in4"), ports.inputs().stream().map(PortSpec::name).toList());
        assertEquals(new MergeNode().descriptor().ports(), new MergeNode().ports(JSON.readTree("{\"inputs\": 11}")));
        assertEquals(new MergeNode().descriptor().ports(), new MergeNode().ports(JSON.readTree("{\"inputs\": \"x\"}")));
    }

    @Test
    void mergeObjectModeHoldsWhatArrived() {
        NodeHarness.of(new MergeNode()).config("{\"inputs\": 3}")
                .input("in1", "{\"a\": 1}").input("in3", "\"c\"").run()
                .assertEmits("out", "{\"in1\": {\"a\": 1}, \"in3\": \"c\"}");
    }

    @Test
    void mergeArrayModeConcatenatesInPortOrder() {
        NodeHarness.of(new MergeNode()).config("{\"inputs\": 3, \"mode\": \"array\"}")
                .input("in3", "[4, 5]").input("in1", "[1, 2]").input("in2", "3").run()
                .assertEmits("out", "[1, 2, 3, 4, 5]");
    }

    @Test
    void mergeMergeModeLetsLaterPortsWin() {
        NodeHarness.of(new MergeNode()).config("{\"mode\": \"merge\"}")
                .input("in1", "{\"a\": 1, \"b\": 1}").input("in2", "{\"b\": 2}").run()
                .assertEmits("out", "{\"a\": 1, \"b\": 2}");
        NodeHarness.of(new MergeNode()).config("{\"mode\": \"merge\"}")
                .input("in1", "{\"a\": 1}").input("in2", "[2]").runExpectingFailure("data.invalid");
    }

    @Test
    void mergeFirstModeTakesTheFirstPortWithAValue() {
        NodeHarness.of(new MergeNode()).config("{\"inputs\": 3, \"mode\": \"first\"}")
                .input("in2", "\"two\"").input("in3", "\"three\"").run()
                .assertEmits("out", "\"two\"");
    }

    @Test
    void mergeRefusesAnUnknownMode() {
        NodeHarness.of(new MergeNode()).config("{\"mode\": \"zip\"}").input("in1", "1").runExpectingFailure("config.invalid");
    }

    // --- core.foreach

    @Test
    void forEachRefusesANonArray() {
        NodeHarness.of(new ForEachNode()).input("in", "{\"a\": 1}").runExpectingFailure("data.invalid");
    }

    @Test
    void forEachWithAConstantTemplate() {
        NodeHarness.of(new ForEachNode()).config("{\"map\": 1}").input("in", "[\"a\", \"b\"]").run()
                .assertEmits("out", "[1, 1]");
    }

    @Test
    void forEachStopsWhenCancelled() {
        NodeOutcome out = NodeHarness.of(new ForEachNode()).config("{\"map\": 1}").input("in", "[1, 2, 3]")
                .cancelled().run();
        assertTrue(out.failure() instanceof java.util.concurrent.CancellationException, String.valueOf(out.failure()));
    }

    @Test
    void forEachMapsEveryItemWithItemAndIndex() {
        // needs the engine's expression evaluator
        NodeHarness.of(new ForEachNode())
                .config("{\"map\": {\"n\": \"{{ item.name.toUpperCase() }}\", \"i\": \"{{ index }}\"}}")
                .input("in", "[{\"name\": \"ada\"}, {\"name\": \"bob\"}]").run()
                .assertEmits("out", "[{\"n\": \"ADA\", \"i\": 0}, {\"n\": \"BOB\", \"i\": 1}]");
    }

    @Test
    void forEachDefaultsToTheItemItself() {
        // needs the engine's expression evaluator
        NodeHarness.of(new ForEachNode()).input("in", "[1, {\"a\": 2}]").run().assertEmits("out", "[1, {\"a\": 2}]");
    }
}

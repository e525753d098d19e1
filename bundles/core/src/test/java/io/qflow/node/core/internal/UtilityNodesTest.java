package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.testkit.LogEntry;
import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.NodeOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UtilityNodesTest {

    @Test
    void delayWaitsThenPassesTheInput() {
        long start = System.nanoTime();
        NodeHarness.of(new DelayNode()).config("{\"ms\": 150}").input("in", "{\"a\": 1}").run()
                .assertEmits("out", "{\"a\": 1}");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 150);
    }

    @Test
    void delayStopsAtOnceWhenCancelled() {
        long start = System.nanoTime();
        NodeOutcome out = NodeHarness.of(new DelayNode()).config("{\"ms\": 600000}")
                .cancelAfter(Duration.ofMillis(100)).run();
        assertInstanceOf(InterruptedException.class, out.failure());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
    }

    @Test
    void delayRefusesOutOfRange() {
        NodeHarness.of(new DelayNode()).config("{\"ms\": 3600001}").runExpectingFailure("config.invalid");
        NodeHarness.of(new DelayNode()).config("{\"ms\": -1}").runExpectingFailure("config.invalid");
    }

    @Test
    void logWritesTheMessageAtTheLevelAndPassesThrough() {
        NodeHarness.of(new LogNode()).config("{\"message\": \"hello\", \"level\": \"warn\"}").input("in", "[1]").run()
                .assertEmits("out", "[1]").assertLogged("warn", "hello");
    }

    @Test
    void logDefaultsToTheInputAsJsonAtInfo() {
        NodeOutcome out = NodeHarness.of(new LogNode()).input("in", "{\"a\": 1}").run();
        assertEquals(List.of(new LogEntry("info", "{\"a\":1}")), out.logs());
        NodeHarness.of(new LogNode()).config("{\"level\": \"loud\"}").runExpectingFailure("config.invalid");
    }

    @Test
    void logMessageMayBeATemplate() {
        // needs the engine's expression evaluator
        NodeHarness.of(new LogNode()).config("{\"message\": \"order {{ in.id }}\"}").input("in", "{\"id\": 7}").run()
                .assertLogged("info", "order 7");
    }

    @Test
    void noopPassesTheValue() {
        NodeHarness.of(new NoopNode()).input("in", "{\"a\": [1]}").run().assertEmits("out", "{\"a\": [1]}");
        NodeHarness.of(new NoopNode()).run().assertEmits("out", "null");
    }

    // --- core.input: needs the engine's expression evaluator ({{ input }})

    @Test
    void inputEmitsTheRunInput() {
        NodeHarness.of(new InputNode()).runInput("{\"name\": \"Ada\"}").run().assertEmits("out", "{\"name\": \"Ada\"}");
        NodeHarness.of(new InputNode()).runInput("[1, 2]").run().assertEmits("out", "[1, 2]");
    }

    @Test
    void inputMergesTheInputOverTheDefaults() {
        NodeHarness.of(new InputNode()).config("{\"defaults\": {\"name\": \"world\", \"limit\": 10}}")
                .runInput("{\"name\": \"Ada\"}").run()
                .assertEmits("out", "{\"name\": \"Ada\", \"limit\": 10}");
    }

    @Test
    void inputRefusesNonObjectDefaults() {
        NodeHarness.of(new InputNode()).config("{\"defaults\": 3}").runExpectingFailure("config.invalid");
    }
}

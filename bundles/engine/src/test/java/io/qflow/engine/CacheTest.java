package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.engine.internal.cache.LruNodeResultCache;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.WaitRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Per-node result caching: {@code "cache": {"ttlSeconds": N}}. */
class CacheTest {

    /** A clock the test moves by hand: expiry without sleeping. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestNodes nodes = new TestNodes();
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger asked = new AtomicInteger();

    /** test.ask: always waits for a decision; with one, emits it. */
    private final NodeType ask = new NodeType() {
        private final NodeDescriptor descriptor = NodeDescriptor.builder("test.ask").input("in", DataType.ANY, "", false)
                .output("approve", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            asked.incrementAndGet();
            if (ctx.decision().isEmpty()) {
                return NodeResult.waiting(new WaitRequest(json("{'title': 'OK?'}"), List.of("approve"), null, null));
            }
            return NodeResult.of("approve", json("{'ok': true}"));
        }
    };

    private Engine engine() {
        return Engine.builder().nodeTypes(nodes.input(), nodes.value(), nodes.fail(), ask)
                .nodeResultCache(new LruNodeResultCache(100, clock)).build();
    }

    /** a (input) → b (value of in.x, cached for 60 s). */
    private static final String WF = """
            {'id': 'wf', 'name': 'wf', 'nodes': [
              {'id': 'a', 'type': 'test.input'},
              {'id': 'b', 'type': 'test.value', 'config': {'value': '{{ in.x }}', 'salt': %d}, 'cache': {'ttlSeconds': 60}}
            ], 'connections': [{'from': 'a.out', 'to': 'b.in'}]}""";

    private static Execution run(Engine engine, String workflow, String input) throws Exception {
        String id = engine.executions().start(workflow, json(input), "manual").id();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) { // await() returns on a final status only; a waiting one counts here
            Execution now = engine.executions().get(id).orElseThrow();
            if (now.status().isFinal() || now.status() == ExecutionStatus.WAITING) {
                return now;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("execution " + id + " neither finished nor waits");
    }

    private static NodeRun node(Execution e, String id) {
        return e.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void sameInputsWithinTheTtlAreServedFromTheCache() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(WF.formatted(1)));
            Execution first = run(engine, "wf", "{'x': 7}");
            clock.advance(Duration.ofSeconds(59));
            Execution second = run(engine, "wf", "{'x': 7}");
            assertEquals(1, nodes.calls("b"), "b is not invoked the second time");
            assertEquals(2, nodes.calls("a"), "a has no cache option and runs every time");
            assertFalse(node(first, "b").cached());
            NodeRun b = node(second, "b");
            assertTrue(b.cached());
            assertEquals(NodeRunStatus.SUCCEEDED, b.status());
            assertEquals(0, b.attempts(), "a node served from cache was not attempted");
            assertEquals(node(first, "b").outputs(), b.outputs());
            assertTrue(b.logs().getLast().message().startsWith("served from cache"), b.logs().toString());
            assertEquals(ExecutionStatus.SUCCEEDED, second.status());
            assertEquals(json("{'b': {'out': 7}}"), second.outputs());
        }
    }

    @Test
    void aDifferentInputOrConfigRuns() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(WF.formatted(1)));
            run(engine, "wf", "{'x': 7}");
            Execution other = run(engine, "wf", "{'x': 8}");
            assertEquals(2, nodes.calls("b"));
            assertFalse(node(other, "b").cached());
            assertEquals(json("{'b': {'out': 8}}"), other.outputs());
            engine.workflows().update("wf", json(WF.formatted(2)));
            Execution changedConfig = run(engine, "wf", "{'x': 7}");
            assertEquals(3, nodes.calls("b"), "the same input with another config runs");
            assertFalse(node(changedConfig, "b").cached());
            Execution again = run(engine, "wf", "{'x': 7}");
            assertEquals(3, nodes.calls("b"));
            assertTrue(node(again, "b").cached());
        }
    }

    @Test
    void anExpiredEntryRunsTheNodeAgain() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(WF.formatted(1)));
            run(engine, "wf", "{'x': 7}");
            clock.advance(Duration.ofSeconds(60));
            Execution expired = run(engine, "wf", "{'x': 7}");
            assertEquals(2, nodes.calls("b"));
            assertFalse(node(expired, "b").cached());
            Execution fresh = run(engine, "wf", "{'x': 7}");
            assertEquals(2, nodes.calls("b"), "the new result is cached again");
            assertTrue(node(fresh, "b").cached());
        }
    }

    @Test
    void failuresAndWaitingNodesAreNeverCached() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("""
                    {'id': 'f', 'name': 'f', 'nodes': [
                      {'id': 'a', 'type': 'test.input'},
                      {'id': 'b', 'type': 'test.fail', 'config': {'failTimes': 1}, 'cache': {'ttlSeconds': 60}}
                    ], 'connections': [{'from': 'a.out', 'to': 'b.in'}]}"""));
            assertEquals(ExecutionStatus.FAILED, run(engine, "f", "{'x': 1}").status());
            assertEquals(ExecutionStatus.FAILED, run(engine, "f", "{'x': 1}").status());
            assertEquals(2, nodes.calls("b"));

            engine.workflows().create(json("""
                    {'id': 'w', 'name': 'w', 'nodes': [
                      {'id': 'a', 'type': 'test.input'},
                      {'id': 'q', 'type': 'test.ask', 'cache': {'ttlSeconds': 60}}
                    ], 'connections': [{'from': 'a.out', 'to': 'q.in'}]}"""));
            Execution waiting = run(engine, "w", "{'x': 1}");
            assertEquals(ExecutionStatus.WAITING, waiting.status());
            engine.executions().resume(waiting.id(), "q", "approve", null);
            assertEquals(ExecutionStatus.SUCCEEDED, engine.executions().await(waiting.id(), Duration.ofSeconds(10)).status());
            Execution again = run(engine, "w", "{'x': 1}");
            assertEquals(ExecutionStatus.WAITING, again.status(), "a node that waits for a decision is asked again");
            assertFalse(node(again, "q").cached());
            assertEquals(3, asked.get());
        }
    }

    @Test
    void badCacheOptionsAreRefusedWithTheNodeAndField() {
        try (Engine engine = engine()) {
            for (String bad : List.of("{'ttlSeconds': 0}", "{'ttlSeconds': -5}", "{'ttlSeconds': 'ten'}", "{'ttlSeconds': 1.5}",
                    "{'ttlSeconds': 2592001}", "{}", "{'ttlSeconds': 10, 'size': 3}", "true")) {
                ValidationException e = assertThrows(ValidationException.class, () -> engine.workflows().create(json("""
                        {'id': 'bad', 'name': 'bad', 'nodes': [
                          {'id': 'a', 'type': 'test.input'},
                          {'id': 'b', 'type': 'test.value', 'config': {'value': 1}, 'cache': %s}
                        ], 'connections': [{'from': 'a.out', 'to': 'b.in'}]}""".formatted(bad))), bad);
                Set<String> where = e.problems().stream().map(p -> p.code() + "@" + p.nodeId() + p.field())
                        .collect(Collectors.toSet());
                assertTrue(where.stream().anyMatch(w -> w.startsWith("node.cache") && w.contains("@b/nodes/1/cache")),
                        bad + " -> " + where);
            }
        }
    }
}

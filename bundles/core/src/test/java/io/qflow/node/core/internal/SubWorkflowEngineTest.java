package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.Engine;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRun;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sub-workflows, for-each over a sub-workflow and while loops with real stored workflows on the in-memory engine. */
class SubWorkflowEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final CyclicBarrier barrier = new CyclicBarrier(4);
    private final CountDownLatch blocked = new CountDownLatch(3);

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static NodeType testNode(String type, Body body) {
        NodeDescriptor descriptor = NodeDescriptor.builder(type).input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").build();
        return new NodeType() {
            @Override
            public NodeDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public NodeResult execute(NodeContext ctx) throws Exception {
                return NodeResult.of("out", body.run(ctx.input("in")));
            }
        };
    }

    private interface Body {
        JsonNode run(JsonNode in) throws Exception;
    }

    private Engine engine() {
        List<NodeType> types = new ArrayList<>(CoreNodes.all(files));
        // test.barrier: four items must be inside at once for any of them to pass; counts how many are.
        types.add(testNode("test.barrier", in -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                barrier.await(10, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
            }
            return JSON.getNodeFactory().numberNode(in.get("item").asInt() * 10);
        }));
        // test.fail-on-3: fails for item 3.
        types.add(testNode("test.fail-on-3", in -> {
            if (in.get("item").asInt() == 3) {
                throw new io.qflow.sdk.NodeException("test.three", "item three is bad");
            }
            return in;
        }));
        // test.block: blocks until interrupted.
        types.add(testNode("test.block", in -> {
            blocked.countDown();
            new CountDownLatch(1).await();
            return in;
        }));
        return Engine.builder().nodeTypes(types).build();
    }

    private static Execution run(Engine engine, String workflowId, String input) throws Exception {
        return engine.executions().await(engine.executions().start(workflowId, json(input), "manual").id(), Duration.ofSeconds(30));
    }

    private static List<Execution> runsOf(Engine engine, String workflowId) {
        return engine.executions().list(new ExecutionQuery(workflowId, null, 1000, null));
    }

    private static NodeRun node(Execution execution, String id) {
        return execution.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    private static String childOf(String body) {
        return "{'id': 'CHILD', 'name': 'CHILD', 'nodes': [{'id': 'start', 'type': 'core.input'}, " + body + "],"
                + " 'connections': [{'from': 'start.out', 'to': 'work.in'}]}";
    }

    private static String parentWith(String id, String type, String config) {
        return "{'id': '" + id + "', 'name': '" + id + "', 'nodes': [{'id': 'start', 'type': 'core.input'}, "
                + "{'id': 'loop', 'type': '" + type + "', 'config': " + config + "}],"
                + " 'connections': [{'from': 'start.out', 'to': 'loop.in'}]}";
    }

    @Test
    void workflowNodeRunsAStoredWorkflow() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(childOf("{'id': 'work', 'type': 'core.set', 'config': {'values': {'greeting': 'hi {{ in.name }}'}}}")
                    .replace("CHILD", "greet")));
            engine.workflows().create(json(parentWith("parent", "core.workflow", "{'workflow': 'greet'}")));
            Execution done = run(engine, "parent", "{'name': 'Ada'}");
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(json("{'work': {'out': {'greeting': 'hi Ada'}}}"), done.outputs().at("/loop/out"));
            assertEquals("parent:" + done.id() + "/loop", runsOf(engine, "greet").getFirst().trigger());
        }
    }

    @Test
    void forEachOverTwentyItemsRunsFourAtOnceAndKeepsTheOrder() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(childOf("{'id': 'work', 'type': 'test.barrier'}").replace("CHILD", "item")));
            engine.workflows().create(json(parentWith("parent", "core.foreach", "{'workflow': 'item', 'concurrency': 4}")));
            StringBuilder items = new StringBuilder("[");
            StringBuilder expected = new StringBuilder("[");
            for (int i = 0; i < 20; i++) {
                items.append(i == 0 ? "" : ", ").append(i);
                expected.append(i == 0 ? "" : ", ").append("{'work': {'out': ").append(i * 10).append("}}");
            }
            Execution done = run(engine, "parent", items.append("]").toString());
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(json(expected.append("]").toString()), done.outputs().at("/loop/out"));
            assertEquals(4, peak.get(), "the barrier of 4 let every item through, and no more than 4 ran at once");
            assertEquals(20, runsOf(engine, "item").size());
            assertTrue(runsOf(engine, "item").stream().allMatch(e -> e.trigger().equals("parent:" + done.id() + "/loop")));
        }
    }

    @Test
    void aFailingItemFailsTheForEachWithTheChildExecution() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(childOf("{'id': 'work', 'type': 'test.fail-on-3'}").replace("CHILD", "item")));
            engine.workflows().create(json(parentWith("parent", "core.foreach", "{'workflow': 'item', 'concurrency': 1}")));
            Execution done = run(engine, "parent", "[1, 2, 3, 4]");
            assertEquals(ExecutionStatus.FAILED, done.status());
            Execution failedChild = runsOf(engine, "item").stream().filter(e -> e.status() == ExecutionStatus.FAILED)
                    .findFirst().orElseThrow();
            NodeRun loop = node(done, "loop");
            assertEquals("workflow.failed", loop.error().code());
            assertTrue(loop.error().message().startsWith("item 2: "), loop.error().message());
            assertTrue(loop.error().message().contains(failedChild.id()), loop.error().message());
            assertTrue(loop.error().message().contains("item three is bad"), loop.error().message());
            assertEquals(3, runsOf(engine, "item").size(), "the fourth item never started");
        }
    }

    @Test
    void cancellingTheParentCancelsTheRunningChildren() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(childOf("{'id': 'work', 'type': 'test.block'}").replace("CHILD", "item")));
            engine.workflows().create(json(parentWith("parent", "core.foreach", "{'workflow': 'item', 'concurrency': 3}")));
            Execution parent = engine.executions().start("parent", json("[1, 2, 3, 4, 5]"), "manual");
            assertTrue(blocked.await(10, TimeUnit.SECONDS), "three children are running");
            Execution cancelled = engine.executions().cancel(parent.id());
            assertEquals(ExecutionStatus.CANCELLED, cancelled.status());
            List<Execution> children = runsOf(engine, "item");
            assertEquals(3, children.size());
            for (Execution child : children) {
                assertEquals(ExecutionStatus.CANCELLED, engine.executions().await(child.id(), Duration.ofSeconds(10)).status());
            }
        }
    }

    @Test
    void aSubWorkflowCallingItselfIsRefused() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(parentWith("self", "core.workflow", "{'workflow': 'self'}")));
            Execution done = run(engine, "self", "{}");
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals("workflow.recursion", node(done, "loop").error().code());
        }
    }

    private static final String INCREMENT = childOf("{'id': 'work', 'type': 'core.set', 'config': {'values': {'n': '{{ in.n + 1 }}'}}}")
            .replace("CHILD", "inc");

    @Test
    void whileCountsToTenThroughAStoredWorkflow() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(INCREMENT));
            engine.workflows().create(json(parentWith("parent", "core.while",
                    "{'workflow': 'inc', 'condition': '{{ state.n < 10 }}', 'maxIterations': 100, 'stateFrom': 'work.out'}")));
            Execution done = run(engine, "parent", "{'n': 0}");
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(json("{'out': {'n': 10}, 'iterations': 10}"), done.outputs().get("loop"));
            assertEquals(10, runsOf(engine, "inc").size());
        }
    }

    @Test
    void whileHittingItsLimitFails() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(INCREMENT));
            engine.workflows().create(json(parentWith("parent", "core.while",
                    "{'workflow': 'inc', 'condition': '{{ state.n < 10 }}', 'maxIterations': 3, 'stateFrom': 'work.out'}")));
            Execution done = run(engine, "parent", "{'n': 0}");
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals("loop.limit", node(done, "loop").error().code());
            assertEquals(3, runsOf(engine, "inc").size());
        }
    }
}

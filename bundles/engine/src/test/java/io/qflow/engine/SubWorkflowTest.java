package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import io.qflow.engine.internal.memory.InMemoryWorkflowRepository;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** NodeContext.runWorkflow on the engine: a node runs another stored workflow as a child execution. */
class SubWorkflowTest {

    private final TestNodes nodes = new TestNodes();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** sub.call: runs config.workflow with its {@code in} (or {@code {}}) and emits the child's outputs. */
    private static NodeType call() {
        NodeDescriptor descriptor = NodeDescriptor.builder("sub.call").input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").configSchema("{\"type\": \"object\"}").build();
        return new NodeType() {
            @Override
            public NodeDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public NodeResult execute(NodeContext ctx) throws Exception {
                JsonNode in = ctx.input("in");
                Duration timeout = ctx.config().has("timeoutMs") ? Duration.ofMillis(ctx.config().get("timeoutMs").asLong()) : null;
                return NodeResult.of("out", ctx.runWorkflow(ctx.config().path("workflow").asText(), in.isMissingNode() ? null : in, timeout));
            }
        };
    }

    /** sub.ask: waits for approve (emits its input on out) or reject. */
    private static NodeType ask() {
        NodeDescriptor descriptor = NodeDescriptor.builder("sub.ask").input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").build();
        return new NodeType() {
            @Override
            public NodeDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public NodeResult execute(NodeContext ctx) {
                if (ctx.decision().isEmpty()) {
                    return NodeResult.waiting(new io.qflow.sdk.WaitRequest(json("{'title': 'OK?'}"), List.of("approve", "reject"), null,
                            null));
                }
                return NodeResult.of("out", com.fasterxml.jackson.databind.node.TextNode.valueOf(ctx.decision().get().decision()));
            }
        };
    }

    private Engine engine() {
        return Engine.builder().nodeTypes(nodes.input(), nodes.value(), nodes.integer(), nodes.fail(), nodes.block(started, release),
                call(), ask()).build();
    }

    private Engine engine(InMemoryWorkflowRepository workflows, InMemoryExecutionRepository executions) {
        return Engine.builder().nodeTypes(nodes.input(), nodes.value(), call(), ask())
                .workflowRepository(workflows).executionRepository(executions).build();
    }

    private static Execution awaitStatus(Engine engine, String workflowId, ExecutionStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<Execution> runs = runsOf(engine, workflowId);
            if (!runs.isEmpty() && runs.getFirst().status() == status) {
                return runs.getFirst();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + status.json() + " run of " + workflowId + ": " + runsOf(engine, workflowId));
    }

    private static Execution run(Engine engine, String workflowId, String input) throws Exception {
        return engine.executions().await(engine.executions().start(workflowId, input == null ? null : json(input), "manual").id(),
                Duration.ofSeconds(20));
    }

    private static List<Execution> runsOf(Engine engine, String workflowId) {
        return engine.executions().list(new ExecutionQuery(workflowId, null, 100, null));
    }

    private static NodeRun node(Execution execution, String id) {
        return execution.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    private static final String ADD_ONE = """
            {'id': 'add-one', 'name': 'Add one', 'nodes': [
               {'id': 'start', 'type': 'test.input'}, {'id': 'plus', 'type': 'test.int'}],
             'connections': [{'from': 'start.out', 'to': 'plus.in'}]}""";

    @Test
    void aNodeRunsAChildWorkflowAndGetsItsOutputs() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json(ADD_ONE));
            engine.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [
                       {'id': 'start', 'type': 'test.input'},
                       {'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'add-one'}}],
                     'connections': [{'from': 'start.out', 'to': 'sub.in'}]}"""));
            Execution done = run(engine, "parent", "41");
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(json("{'plus': {'out': 42}}"), done.outputs().at("/sub/out"));

            List<Execution> children = runsOf(engine, "add-one");
            assertEquals(1, children.size());
            Execution child = children.getFirst();
            assertEquals("parent:" + done.id() + "/sub", child.trigger());
            assertEquals(ExecutionStatus.SUCCEEDED, child.status());
            assertTrue(node(done, "sub").logs().stream().anyMatch(l -> l.message().contains(child.id())),
                    "the node's log names the child execution: " + node(done, "sub").logs());
        }
    }

    @Test
    void aFailedChildFailsTheNodeWithTheChildIdAndError() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'broken', 'name': 'Broken', 'nodes': [{'id': 'boom', 'type': 'test.fail'}]}"));
            engine.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [{'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'broken'}}]}"""));
            Execution done = run(engine, "parent", null);
            assertEquals(ExecutionStatus.FAILED, done.status());
            Execution child = runsOf(engine, "broken").getFirst();
            assertEquals(ExecutionStatus.FAILED, child.status());
            ErrorInfo error = node(done, "sub").error();
            assertEquals("workflow.failed", error.code());
            assertTrue(error.message().contains(child.id()), error.message());
            assertTrue(error.message().contains("boom"), error.message());
            assertEquals(1, node(done, "sub").attempts(), "workflow.failed is not retryable");
        }
    }

    @Test
    void anUnknownWorkflowIsAClearError() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [{'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'nope'}}]}"""));
            Execution done = run(engine, "parent", null);
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals("workflow.not_found", node(done, "sub").error().code());
            assertTrue(node(done, "sub").error().message().contains("'nope'"));
        }
    }

    @Test
    void cancellingTheParentCancelsTheRunningChild() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'slow', 'name': 'Slow', 'nodes': [{'id': 'wait', 'type': 'test.block'}]}"));
            engine.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [{'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'slow'}}]}"""));
            Execution parent = engine.executions().start("parent", null, "manual");
            assertTrue(started.await(10, TimeUnit.SECONDS), "the child's node started");
            Execution child = runsOf(engine, "slow").getFirst();
            assertEquals(ExecutionStatus.RUNNING, child.status());

            Execution cancelled = engine.executions().cancel(parent.id());
            assertEquals(ExecutionStatus.CANCELLED, cancelled.status());
            Execution childDone = engine.executions().await(child.id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.CANCELLED, childDone.status());
            assertEquals(NodeRunStatus.CANCELLED, node(childDone, "wait").status());
        }
    }

    @Test
    void aNodeTimeoutCancelsTheChild() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'slow', 'name': 'Slow', 'nodes': [{'id': 'wait', 'type': 'test.block'}]}"));
            engine.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [
                       {'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'slow', 'timeoutMs': 200}}]}"""));
            Execution done = run(engine, "parent", null);
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals("workflow.timeout", node(done, "sub").error().code());
            Execution child = engine.executions().await(runsOf(engine, "slow").getFirst().id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.CANCELLED, child.status());
        }
    }

    @Test
    void aWaitingChildCountsAsRunningUntilItIsDecided() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'approve', 'name': 'Approve', 'nodes': [{'id': 'ask', 'type': 'sub.ask'}]}"));
            engine.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [
                       {'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'approve', 'timeoutMs': 20000}}]}"""));
            Execution parent = engine.executions().start("parent", null, "manual");
            Execution child = awaitStatus(engine, "approve", ExecutionStatus.WAITING);
            assertEquals(ExecutionStatus.RUNNING, engine.executions().get(parent.id()).orElseThrow().status(),
                    "the parent node still waits for its child");
            engine.executions().resume(child.id(), "ask", "approve", null);
            Execution done = engine.executions().await(parent.id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(json("{'ask': {'out': 'approve'}}"), done.outputs().at("/sub/out"));
        }
    }

    /** The parent's node runs again after a restart: it waits for the child it had started, not a second one. */
    @Test
    void afterARestartTheNodeTakesOverTheChildItHadStarted() throws Exception {
        InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
        InMemoryExecutionRepository executions = new InMemoryExecutionRepository();
        String parentId;
        try (Engine first = engine(workflows, executions)) {
            first.workflows().create(json("{'id': 'approve', 'name': 'Approve', 'nodes': [{'id': 'ask', 'type': 'sub.ask'}]}"));
            first.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [
                       {'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'approve', 'timeoutMs': 60000}}]}"""));
            parentId = first.executions().start("parent", null, "manual").id();
            awaitStatus(first, "approve", ExecutionStatus.WAITING);
        }
        try (Engine second = engine(workflows, executions)) {
            Execution child = awaitStatus(second, "approve", ExecutionStatus.WAITING);
            second.executions().resume(child.id(), "ask", "approve", null);
            Execution done = second.executions().await(parentId, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(json("{'ask': {'out': 'approve'}}"), done.outputs().at("/sub/out"));
            assertEquals(1, runsOf(second, "approve").size(), "one child, not a second one after the restart: " + runsOf(second, "approve"));
            assertTrue(node(done, "sub").logs().stream().anyMatch(l -> l.message().contains("took over sub-workflow 'approve' execution "
                    + child.id())), node(done, "sub").logs().toString());
        }
    }

    @Test
    void aWaitingChildIsCancelledWhenTheCallTimesOut() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'approve', 'name': 'Approve', 'nodes': [{'id': 'ask', 'type': 'sub.ask'}]}"));
            engine.workflows().create(json("""
                    {'id': 'parent', 'name': 'Parent', 'nodes': [
                       {'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'approve', 'timeoutMs': 300}}]}"""));
            Execution done = run(engine, "parent", null);
            assertEquals("workflow.timeout", node(done, "sub").error().code());
            Execution child = engine.executions().await(runsOf(engine, "approve").getFirst().id(), Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.CANCELLED, child.status());
        }
    }

    @Test
    void subWorkflowsNestAtMostTenDeep() throws Exception {
        try (Engine engine = engine()) {
            for (int i = 0; i <= 10; i++) {
                engine.workflows().create(json(i == 10
                        ? "{'id': 'w10', 'name': 'w10', 'nodes': [{'id': 'v', 'type': 'test.value', 'config': {'value': 1}}]}"
                        : "{'id': 'w" + i + "', 'name': 'w" + i + "', 'nodes': [{'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'w"
                                + (i + 1) + "'}}]}"));
            }
            Execution done = run(engine, "w0", null);
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertTrue(runsOf(engine, "w10").isEmpty(), "the eleventh level never started");
            Execution deepest = engine.executions().get(runsOf(engine, "w9").getFirst().id()).orElseThrow();
            ErrorInfo refused = node(deepest, "sub").error();
            assertEquals("workflow.recursion", refused.code());
            assertTrue(refused.message().contains("at most 10"), refused.message());
        }
    }

    @Test
    void aWorkflowCallingItselfIsRefused() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("""
                    {'id': 'loop', 'name': 'Loop', 'nodes': [{'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'loop'}}]}"""));
            Execution done = run(engine, "loop", null);
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals("workflow.recursion", node(done, "sub").error().code());
            assertEquals(1, runsOf(engine, "loop").size(), "no child was started");
        }
    }

    @Test
    void aCycleThroughAnotherWorkflowIsRefusedAtTheRepeat() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("""
                    {'id': 'a', 'name': 'A', 'nodes': [{'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'b'}}]}"""));
            engine.workflows().create(json("""
                    {'id': 'b', 'name': 'B', 'nodes': [{'id': 'sub', 'type': 'sub.call', 'config': {'workflow': 'a'}}]}"""));
            Execution done = run(engine, "a", null);
            assertEquals(ExecutionStatus.FAILED, done.status());
            Execution b = engine.executions().get(runsOf(engine, "b").getFirst().id()).orElseThrow();
            assertEquals(ExecutionStatus.FAILED, b.status());
            ErrorInfo inner = node(b, "sub").error();
            assertEquals("workflow.recursion", inner.code());
            assertTrue(inner.message().contains("a -> b"), inner.message());
            assertEquals("workflow.failed", node(done, "sub").error().code());
            assertNotNull(node(done, "sub").error().message());
        }
    }
}

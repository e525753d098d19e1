package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import io.qflow.engine.internal.memory.InMemoryWorkflowRepository;
import io.qflow.sdk.DataType;
import io.qflow.sdk.Decision;
import io.qflow.sdk.DecisionException;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.WaitRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Human in the loop: nodes that wait for a decision without holding a thread. */
class WaitingTest {

    private final TestNodes nodes = new TestNodes();
    private final AtomicInteger asked = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** test.ask: waits for approve or reject (config: timeoutMs, defaultDecision); data.age must be an integer if given. */
    private final NodeType ask = new NodeType() {
        private final NodeDescriptor descriptor = NodeDescriptor.builder("test.ask").input("in", DataType.ANY, "", false)
                .output("approve", DataType.ANY, "").output("reject", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public NodeResult execute(NodeContext ctx) throws Exception {
            if (ctx.decision().isEmpty()) {
                asked.incrementAndGet();
                JsonNode timeout = ctx.config().get("timeoutMs");
                JsonNode fallback = ctx.config().get("defaultDecision");
                return NodeResult.waiting(new WaitRequest(json("{'title': 'OK?'}"), List.of("approve", "reject"),
                        timeout == null ? null : Duration.ofMillis(timeout.asLong()), fallback == null ? null : fallback.asText()));
            }
            Decision decision = ctx.decision().get();
            if (decision.data().has("age") && !decision.data().get("age").isInt()) {
                throw new DecisionException("/data/age", "age must be a whole number");
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("decision", decision.decision());
            out.set("data", decision.data());
            out.set("input", ctx.input("in").isMissingNode() ? null : ctx.input("in"));
            out.put("byTimeout", decision.byTimeout());
            return NodeResult.of(decision.decision(), out);
        }
    };

    private Engine engine(InMemoryWorkflowRepository workflows, InMemoryExecutionRepository executions) {
        return Engine.builder().nodeTypes(ask, nodes.value(), nodes.block(started, release))
                .workflowRepository(workflows).executionRepository(executions).build();
    }

    private Engine engine() {
        return engine(new InMemoryWorkflowRepository(), new InMemoryExecutionRepository());
    }

    private static final String APPROVAL = """
            {'name': 'approval', 'nodes': [
              {'id': 'a', 'type': 'test.value', 'config': {'value': 7}},
              {'id': 'ask', 'type': 'test.ask', 'config': %s},
              {'id': 'yes', 'type': 'test.value', 'config': {'value': '{{ in.decision }}'}},
              {'id': 'no', 'type': 'test.value', 'config': {'value': 'no'}}
            ], 'connections': [{'from': 'a.out', 'to': 'ask.in'}, {'from': 'ask.approve', 'to': 'yes.in'},
                               {'from': 'ask.reject', 'to': 'no.in'}]}""";

    private static String start(Engine engine, String doc) throws Exception {
        StoredWorkflow wf = engine.workflows().create(json(doc));
        return engine.executions().start(wf.id(), null, "manual").id();
    }

    private static Execution waitForStatus(Engine engine, String id, ExecutionStatus status) throws Exception {
        waitFor(() -> engine.executions().get(id).orElseThrow().status() == status);
        return engine.executions().get(id).orElseThrow();
    }

    private static Map<String, NodeRunStatus> statuses(Execution e) {
        return e.nodes().stream().collect(Collectors.toMap(NodeRun::nodeId, NodeRun::status));
    }

    private static NodeRun node(Execution e, String id) {
        return e.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anApprovalWaitsThenTheDecisionRunsItsBranch() throws Exception {
        try (Engine engine = engine()) {
            String id = start(engine, APPROVAL.formatted("{}"));
            Execution waiting = waitForStatus(engine, id, ExecutionStatus.WAITING);
            NodeRun ask = node(waiting, "ask");
            assertEquals(NodeRunStatus.WAITING, ask.status());
            assertEquals("OK?", ask.outputs().at("/waitingFor/request/title").asText(), "GET shows what it asks");
            assertEquals(json("['approve', 'reject']"), ask.outputs().at("/waitingFor/decisions"));
            assertEquals(json("{'in': 7}"), ask.inputs());
            assertEquals(NodeRunStatus.PENDING, node(waiting, "yes").status());

            Execution resumed = engine.executions().resume(id, "ask", "approve", json("{'comment': 'fine'}"));
            assertEquals(NodeRunStatus.SUCCEEDED, node(resumed, "ask").status());
            Execution done = engine.executions().await(id, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertEquals(NodeRunStatus.SKIPPED, node(done, "no").status());
            assertEquals(json("{'decision': 'approve', 'data': {'comment': 'fine'}, 'input': 7, 'byTimeout': false}"),
                    node(done, "ask").outputs().get("approve"));
            assertEquals(json("{'yes': {'out': 'approve'}}"), done.outputs());
            assertEquals(1, asked.get());
            assertEquals(1, node(done, "ask").attempts(), "the decision finishes the attempt, it is not a new one");
        }
    }

    @Test
    void runAndWaitReturnsOnceTheRunWaitsForADecision() throws Exception {
        try (Engine engine = engine()) {
            String id = start(engine, APPROVAL.formatted("{}"));
            // The call's own timeout is far beyond the test's: it must return because the run waits.
            Execution settled = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> engine.executions().awaitSettled(id, Duration.ofHours(1)));
            assertEquals(ExecutionStatus.WAITING, settled.status());
            assertEquals(NodeRunStatus.WAITING, node(settled, "ask").status());
            engine.executions().resume(id, "ask", "reject", null);
            Execution done = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> engine.executions().awaitSettled(id, Duration.ofHours(1)));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), "a finished run settles too");
        }
    }

    @Test
    void otherBranchesRunWhileANodeWaits() throws Exception {
        try (Engine engine = engine()) {
            String id = start(engine, """
                    {'name': 'parallel', 'nodes': [
                      {'id': 'ask', 'type': 'test.ask'},
                      {'id': 'b', 'type': 'test.block'},
                      {'id': 'c', 'type': 'test.value', 'config': {'value': 1}}
                    ], 'connections': [{'from': 'b.out', 'to': 'c.in'}]}""");
            started.await();
            waitFor(() -> node(engine.executions().get(id).orElseThrow(), "ask").status() == NodeRunStatus.WAITING);
            assertEquals(ExecutionStatus.RUNNING, engine.executions().get(id).orElseThrow().status(), "b still runs");
            release.countDown();
            Execution waiting = waitForStatus(engine, id, ExecutionStatus.WAITING);
            assertEquals(NodeRunStatus.SUCCEEDED, node(waiting, "c").status());
            engine.executions().resume(id, "ask", "reject", null);
            assertEquals(ExecutionStatus.SUCCEEDED, engine.executions().await(id, Duration.ofSeconds(10)).status());
        }
    }

    @Test
    void badResumesAreRefusedAndChangeNothing() throws Exception {
        try (Engine engine = engine()) {
            String id = start(engine, APPROVAL.formatted("{}"));
            Execution before = waitForStatus(engine, id, ExecutionStatus.WAITING);
            ExecutionService executions = engine.executions();

            ValidationException decision = assertThrows(ValidationException.class, () -> executions.resume(id, "ask", "maybe", null));
            assertEquals("/decision", decision.problems().get(0).field());
            ValidationException data = assertThrows(ValidationException.class,
                    () -> executions.resume(id, "ask", "approve", json("{'age': 'old'}")));
            assertEquals("/data/age", data.problems().get(0).field());
            assertEquals("ask", data.problems().get(0).nodeId());
            ValidationException unknown = assertThrows(ValidationException.class, () -> executions.resume(id, "nope", "approve", null));
            assertEquals("/node", unknown.problems().get(0).field());
            assertThrows(ConflictException.class, () -> executions.resume(id, "a", "approve", null), "a is not waiting");
            assertThrows(NotFoundException.class, () -> executions.resume("missing", "ask", "approve", null));

            Execution after = executions.get(id).orElseThrow();
            assertEquals(ExecutionStatus.WAITING, after.status());
            assertEquals(statuses(before), statuses(after));

            executions.resume(id, "ask", "approve", json("{'age': 40}"));
            executions.await(id, Duration.ofSeconds(10));
            assertThrows(ConflictException.class, () -> executions.resume(id, "ask", "approve", null), "finished");
        }
    }

    @Test
    void theTimeoutAppliesTheDefaultDecision() throws Exception {
        try (Engine engine = engine()) {
            String id = start(engine, APPROVAL.formatted("{'timeoutMs': 200, 'defaultDecision': 'reject'}"));
            Execution done = engine.executions().await(id, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertTrue(node(done, "ask").outputs().at("/reject/byTimeout").asBoolean());
            assertEquals(NodeRunStatus.SUCCEEDED, node(done, "no").status());
            assertEquals(NodeRunStatus.SKIPPED, node(done, "yes").status());
        }
    }

    @Test
    void aTimeoutWithoutDefaultTimesTheNodeOut() throws Exception {
        try (Engine engine = engine()) {
            String id = start(engine, APPROVAL.formatted("{'timeoutMs': 100}"));
            Execution done = engine.executions().await(id, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals(NodeRunStatus.TIMED_OUT, node(done, "ask").status());
            assertEquals("node.wait.timeout", node(done, "ask").error().code());
        }
    }

    @Test
    void cancellingAWaitingExecutionCancelsTheWaitingNode() throws Exception {
        try (Engine engine = engine()) {
            String id = start(engine, APPROVAL.formatted("{}"));
            waitForStatus(engine, id, ExecutionStatus.WAITING);
            Execution cancelled = engine.executions().cancel(id);
            assertEquals(ExecutionStatus.CANCELLED, cancelled.status());
            assertEquals(NodeRunStatus.CANCELLED, node(cancelled, "ask").status());
            assertThrows(ConflictException.class, () -> engine.executions().resume(id, "ask", "approve", null));
        }
    }

    /** Starts an approval with a one-hour timeout, waits until it waits, and stops the engine. */
    private String waitingWhenStopped(InMemoryWorkflowRepository workflows, InMemoryExecutionRepository executions) throws Exception {
        try (Engine first = engine(workflows, executions)) {
            String id = start(first, APPROVAL.formatted("{'timeoutMs': 3600000, 'defaultDecision': 'reject'}"));
            waitForStatus(first, id, ExecutionStatus.WAITING);
            return id;
        }
    }

    @Test
    void waitingSurvivesARestartWithoutRerunningTheNode() throws Exception {
        InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
        InMemoryExecutionRepository executions = new InMemoryExecutionRepository();
        String id = waitingWhenStopped(workflows, executions);
        try (Engine second = engine(workflows, executions)) {
            Execution stored = second.executions().get(id).orElseThrow();
            assertEquals(ExecutionStatus.WAITING, stored.status());
            assertEquals(NodeRunStatus.WAITING, node(stored, "ask").status());
            second.executions().resume(id, "ask", "approve", null);
            Execution done = second.executions().await(id, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertEquals(json("{'yes': {'out': 'approve'}}"), done.outputs());
            assertEquals(1, asked.get(), "the waiting node is not asked again after the restart");
            assertEquals(1, nodes.calls("a"));
        }
    }

    @Test
    void aDeadlineThatPassedDuringTheStopAppliesTheDefaultAtOnce() throws Exception {
        InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
        InMemoryExecutionRepository executions = new InMemoryExecutionRepository();
        String id = waitingWhenStopped(workflows, executions);
        // move the recorded deadline into the past, as if the runtime had been stopped for an hour
        Execution stored = executions.find(id).orElseThrow();
        NodeRun ask = node(stored, "ask");
        ObjectNode outputs = ask.outputs().deepCopy();
        ((ObjectNode) outputs.get("waitingFor")).put("deadline", Instant.now().minusSeconds(1).toString());
        executions.saveNodeRun(id, new NodeRun(ask.nodeId(), ask.type(), ask.status(), ask.attempts(), ask.startedAt(), null,
                ask.inputs(), outputs, ask.logs(), null));
        try (Engine second = engine(workflows, executions)) {
            Execution done = second.executions().await(id, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertEquals(json("{'no': {'out': 'no'}}"), done.outputs());
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(2);
        }
    }
}

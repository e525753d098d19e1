package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run-and-wait runs the nodes whose types say they do not block on the caller's thread
 * ({@link NodeType#nonBlocking}), and everything else on threads of their own, so that the caller
 * still answers at its timeout.
 */
class RunOnCallerTest {

    /** The thread each node ran on, by node id. */
    private final Map<String, Thread> ranOn = new ConcurrentHashMap<>();
    private final CountDownLatch blockedStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** Passes its input on; says it does not block. */
    private final NodeType compute = type("test.compute", true, false);
    /** Passes its input on once released; says it may block. */
    private final NodeType blocking = type("test.blocking", false, true);
    /** Waits to be released although it says it does not block (a plugin that breaks its word). */
    private final NodeType misdeclared = type("test.misdeclared", true, true);

    private NodeType type(String id, boolean nonBlocking, boolean waitsForRelease) {
        NodeDescriptor descriptor = NodeDescriptor.builder(id).input("in", DataType.ANY, "in", false)
                .output("out", DataType.ANY, "out").build();
        return new NodeType() {
            @Override
            public NodeDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public boolean nonBlocking(JsonNode config) {
                return nonBlocking;
            }

            @Override
            public NodeResult execute(NodeContext ctx) throws Exception {
                ranOn.put(ctx.nodeId(), Thread.currentThread());
                if (waitsForRelease) {
                    blockedStarted.countDown();
                    release.await();
                }
                JsonNode in = ctx.input("in");
                return NodeResult.of("out", in.isMissingNode() ? json("{'from': '" + ctx.nodeId() + "'}") : in);
            }
        };
    }

    private Engine engine() {
        return Engine.builder().nodeTypes(compute, blocking, misdeclared)
                .workflowRepository(new InMemoryWorkflowRepository()).executionRepository(new InMemoryExecutionRepository()).build();
    }

    /** A workflow of two nodes, the first feeding the second. */
    private static StoredWorkflow chain(Engine engine, String first, String firstType, String second, String secondType)
            throws Exception {
        return engine.workflows().create(json("{'name': 'chain', 'nodes': [{'id': '" + first + "', 'type': '" + firstType + "'}, "
                + "{'id': '" + second + "', 'type': '" + secondType + "'}], "
                + "'connections': [{'from': '" + first + ".out', 'to': '" + second + ".in'}]}"));
    }

    @Test
    void aChainOfNodesThatDoNotBlockRunsOnTheWaitingCallersThread() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow wf = chain(engine, "a", "test.compute", "b", "test.compute");

            Execution done = engine.executions().run(wf.id(), json("{'x': 1}"), "manual", Duration.ofSeconds(20));

            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertEquals(json("{'b': {'out': {'from': 'a'}}}"), done.outputs());
            assertSame(Thread.currentThread(), ranOn.get("a"));
            assertSame(Thread.currentThread(), ranOn.get("b"));
        }
    }

    @Test
    void aNodeThatMayBlockGetsAThreadOfItsOwnAndTheCallerAnswersAtItsTimeout() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow wf = chain(engine, "a", "test.compute", "io", "test.blocking");

            // Were the blocking node run on the caller, the answer would wait for the release below.
            Execution answered = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Execution running = engine.executions().run(wf.id(), json("{}"), "manual", Duration.ofMillis(200));
                assertSame(Thread.currentThread(), ranOn.get("a"), "the node that does not block ran on the caller");
                return running;
            });

            assertEquals(ExecutionStatus.RUNNING, answered.status());
            assertTrue(blockedStarted.await(20, TimeUnit.SECONDS), "the blocking node started");
            assertNotSame(ranOn.get("a"), ranOn.get("io"));
            release.countDown();
            Execution done = engine.executions().await(answered.id(), Duration.ofSeconds(20));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        }
    }

    @Test
    void ofParallelBranchesTheCallerRunsOneAndTheOthersRunAtTheSameTime() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow wf = engine.workflows().create(json("""
                {'name': 'fan out', 'nodes': [{'id': 'a', 'type': 'test.compute'}, {'id': 'io', 'type': 'test.blocking'},
                  {'id': 'b', 'type': 'test.compute'}],
                 'connections': [{'from': 'a.out', 'to': 'io.in'}, {'from': 'a.out', 'to': 'b.in'}]}"""));

            Execution done = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Thread releaser = Thread.ofVirtual().start(() -> {
                    try {
                        // b runs on the caller; the blocking branch must run meanwhile, elsewhere
                        if (blockedStarted.await(20, TimeUnit.SECONDS)) {
                            release.countDown();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Execution result = engine.executions().run(wf.id(), json("{}"), "manual", Duration.ofSeconds(20));
                releaser.join();
                assertSame(Thread.currentThread(), ranOn.get("b"));
                return result;
            });

            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertNotSame(ranOn.get("b"), ranOn.get("io"));
        }
    }

    @Test
    void aStartThatDoesNotWaitAndANodeWithRetriesRunNothingOnTheCaller() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow async = engine.workflows().create(json("{'name': 'async', 'nodes': [{'id': 'a', 'type': 'test.compute'}]}"));
            Execution started = engine.executions().start(async.id(), json("{}"), "manual");
            assertEquals(ExecutionStatus.SUCCEEDED, engine.executions().await(started.id(), Duration.ofSeconds(20)).status());
            assertNotSame(Thread.currentThread(), ranOn.get("a"), "a start returns at once: its nodes run elsewhere");

            // A retry sleeps between attempts, which a caller with a timeout cannot afford.
            StoredWorkflow retried = engine.workflows().create(json("""
                {'name': 'retried', 'nodes': [{'id': 'r', 'type': 'test.compute',
                  'retry': {'maxAttempts': 3, 'initialDelayMs': 1}}]}"""));
            Execution done = engine.executions().run(retried.id(), json("{}"), "manual", Duration.ofSeconds(20));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertNotSame(Thread.currentThread(), ranOn.get("r"));
        }
    }

    @Test
    void cancellingANodeRunningOnTheCallerEndsTheRunAndLeavesTheCallerUninterrupted() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow wf = chain(engine, "m", "test.misdeclared", "after", "test.compute");
            Map<String, String> cancelled = new ConcurrentHashMap<>();
            Thread canceller = Thread.ofVirtual().start(() -> {
                try {
                    if (blockedStarted.await(20, TimeUnit.SECONDS)) {
                        String id = engine.executions().list(new ExecutionQuery(wf.id(), null, 1, null)).get(0).id();
                        cancelled.put(id, engine.executions().cancel(id).status().json());
                    }
                } catch (Exception e) {
                    cancelled.put("error", e.toString());
                }
            });

            Execution done = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Execution result = engine.executions().run(wf.id(), json("{}"), "manual", Duration.ofSeconds(20));
                assertSame(Thread.currentThread(), ranOn.get("m"), "the node ran on the caller");
                assertFalse(Thread.currentThread().isInterrupted(), "the cancel's interrupt stayed with the node");
                return result;
            });
            canceller.join();

            assertEquals(ExecutionStatus.CANCELLED, done.status(), cancelled.toString());
            NodeRun after = done.nodes().stream().filter(n -> n.nodeId().equals("after")).findFirst().orElseThrow();
            assertEquals(NodeRunStatus.SKIPPED, after.status());
        }
    }
}

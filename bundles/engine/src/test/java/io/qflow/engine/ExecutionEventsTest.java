package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.BooleanNode;
import io.qflow.engine.ExecutionEvent.Type;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Live execution events: order, snapshot then live without gaps, bounded buffers, counters. */
class ExecutionEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final TestNodes nodes = new TestNodes();
    private final CountDownLatch gateStarted = new CountDownLatch(1);
    private final CountDownLatch gateOpen = new CountDownLatch(1);

    /** test.gate: logs, reports progress, waits for the test, logs again. */
    private final NodeType gate = new Simple("test.gate") {
        @Override
        public NodeResult execute(NodeContext ctx) throws Exception {
            ctx.log().info("at the gate");
            gateStarted.countDown();
            gateOpen.await();
            ctx.progress(0.5, "half way");
            ctx.log().info("through");
            return NodeResult.of("out", BooleanNode.TRUE);
        }
    };

    /** test.chatty: logs config.lines lines. */
    private final NodeType chatty = new Simple("test.chatty") {
        @Override
        public NodeResult execute(NodeContext ctx) {
            int lines = ctx.config().path("lines").asInt(3);
            for (int i = 0; i < lines; i++) {
                ctx.log().info("line " + i);
            }
            return NodeResult.of("out", BooleanNode.TRUE);
        }
    };

    private Engine engine() {
        return Engine.builder().nodeTypes(nodes.input(), nodes.fail(), gate, chatty).build();
    }

    @Test
    void aLateSubscriberGetsTheSnapshotThenEveryLaterEventInOrder() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'g', 'name': 'g', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'gate', 'type': 'test.gate'}, {'id': 'after', 'type': 'test.chatty', 'config': {'lines': 1}}],"
                    + "'connections': [{'from': 'in.out', 'to': 'gate.in'}, {'from': 'gate.out', 'to': 'after.in'}]}"));
            Execution started = engine.executions().start("g", json("{}"), "manual");
            assertTrue(gateStarted.await(20, TimeUnit.SECONDS));
            try (EventSubscription events = engine.monitor().subscribe(started.id(), 100)) {
                ExecutionEvent snapshot = events.next(WAIT);
                assertEquals(Type.SNAPSHOT, snapshot.type());
                assertEquals("running", snapshot.status());
                Map<String, NodeRun> shown = byNode(snapshot.snapshot());
                assertEquals(NodeRunStatus.SUCCEEDED, shown.get("in").status());
                assertEquals(NodeRunStatus.RUNNING, shown.get("gate").status());
                assertEquals(NodeRunStatus.PENDING, shown.get("after").status());
                assertEquals("at the gate", shown.get("gate").logs().getFirst().message());
                gateOpen.countDown();

                List<ExecutionEvent> live = drain(events);
                assertContiguous(snapshot.seq(), live);
                // progress with a message is also logged (the record keeps it), then announced as progress
                assertEquals(List.of("node.log gate", "node.progress gate", "node.log gate", "node.finished gate", "node.started after",
                        "node.log after", "node.finished after", "execution.status null"), live.stream()
                        .map(e -> e.type().json() + " " + e.nodeId()).toList());
                assertEquals(0.5, live.get(1).progress());
                assertEquals("half way", live.get(1).message());
                assertEquals("through", live.get(2).log().message());
                assertEquals(2, live.get(2).logIndex(), "0: at the gate, 1: the progress line, 2: through");
                assertEquals("succeeded", live.get(3).status());
                assertNotNull(live.get(3).finishedAt());
                assertEquals(1, live.get(4).attempt());
                ExecutionEvent end = live.getLast();
                assertEquals("succeeded", end.status());
                assertTrue(end.terminal());
                assertTrue(events.ended());
                assertNull(events.next(Duration.ofMillis(10)));
            }
        }
    }

    @Test
    void subscribersJoiningAtAnyMomentSeeNoGapAndEndInTheStoredState() throws Exception {
        try (Engine engine = engine()) {
            StringBuilder doc = new StringBuilder("{'id': 'fan', 'name': 'fan', 'nodes': [{'id': 'in', 'type': 'test.input'}");
            StringBuilder links = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                doc.append(", {'id': 'n").append(i).append("', 'type': 'test.chatty', 'config': {'lines': 5}}");
                links.append(i == 0 ? "" : ", ").append("{'from': 'in.out', 'to': 'n").append(i).append(".in'}");
            }
            engine.workflows().create(json(doc + "], 'connections': [" + links + "], 'settings': {'maxParallelism': 8}}"));
            for (int round = 0; round < 15; round++) {
                Execution started = engine.executions().start("fan", json("{}"), "manual");
                List<Thread> joiners = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int j = 0; j < 4; j++) {
                    long delayMicros = j * 150L;
                    joiners.add(Thread.ofVirtual().start(() -> {
                        try {
                            TimeUnit.MICROSECONDS.sleep(delayMicros); // spread the joins over the run, not a race fix
                            followToTheEnd(engine, started.id());
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }));
                }
                for (Thread joiner : joiners) {
                    assertTrue(joiner.join(WAIT), "a subscriber did not see the end");
                }
                assertEquals(List.of(), failures);
            }
        }
    }

    /** Follows one execution and checks that snapshot + events end exactly in the stored final state. */
    private static void followToTheEnd(Engine engine, String executionId) throws Exception {
        try (EventSubscription events = engine.monitor().subscribe(executionId, 10_000)) {
            ExecutionEvent snapshot = events.next(WAIT);
            assertEquals(Type.SNAPSHOT, snapshot.type());
            Map<String, String> status = new HashMap<>();
            Map<String, Integer> logs = new HashMap<>();
            snapshot.snapshot().nodes().forEach(n -> {
                status.put(n.nodeId(), n.status().json());
                logs.put(n.nodeId(), n.logs().size());
            });
            String executionStatus = snapshot.status();
            List<ExecutionEvent> live = snapshot.terminal() ? List.of() : drain(events);
            assertContiguous(snapshot.seq(), live);
            for (ExecutionEvent e : live) {
                switch (e.type()) {
                    case NODE_LOG -> logs.merge(e.nodeId(), e.logIndex() + 1, Math::max);
                    case EXECUTION_STATUS -> executionStatus = e.status();
                    default -> status.put(e.nodeId(), e.status());
                }
            }
            Execution stored = engine.executions().await(executionId, WAIT);
            assertEquals(stored.status().json(), executionStatus);
            for (NodeRun run : stored.nodes()) {
                assertEquals(run.status().json(), status.get(run.nodeId()), run.nodeId());
                assertEquals(run.logs().size(), logs.get(run.nodeId()), run.nodeId());
            }
        }
    }

    @Test
    void aStalledSubscriberLosesEventsWithANoticeAndDoesNotHoldTheRunBack() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'loud', 'name': 'loud', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'talk', 'type': 'test.gate'}, {'id': 'more', 'type': 'test.chatty', 'config': {'lines': 2000}}],"
                    + "'connections': [{'from': 'in.out', 'to': 'talk.in'}, {'from': 'talk.out', 'to': 'more.in'}]}"));
            Execution started = engine.executions().start("loud", json("{}"), "manual");
            assertTrue(gateStarted.await(20, TimeUnit.SECONDS));
            try (EventSubscription stalled = engine.monitor().subscribe(started.id(), 8)) {
                gateOpen.countDown();
                // Nobody reads: the run still finishes.
                Execution done = engine.executions().await(started.id(), WAIT);
                assertEquals(ExecutionStatus.SUCCEEDED, done.status());

                ExecutionEvent snapshot = stalled.next(WAIT);
                assertEquals(Type.SNAPSHOT, snapshot.type());
                List<ExecutionEvent> rest = drain(stalled);
                assertEquals(7, rest.stream().filter(e -> e.type() != Type.DROPPED && !e.terminal()).count(),
                        "the buffer's worth: 8 with the snapshot");
                ExecutionEvent notice = rest.get(rest.size() - 2);
                assertEquals(Type.DROPPED, notice.type());
                assertEquals(started.id(), notice.executionId());
                ExecutionEvent end = rest.getLast();
                assertEquals("succeeded", end.status(), "the last event is delivered even into a full buffer");
                // everything is accounted for: kept + dropped = every event after the snapshot
                assertEquals(end.seq() - snapshot.seq(), rest.size() - 1 + notice.dropped());
                assertTrue(engine.monitor().statistics().eventsDropped() >= notice.dropped());
            }
        }
    }

    @Test
    void aFinishedExecutionStreamsItsSnapshotAndEnds() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'q', 'name': 'q', 'nodes': [{'id': 'in', 'type': 'test.input'}]}"));
            Execution done = engine.executions().await(engine.executions().start("q", json("{}"), "manual").id(), WAIT);
            try (EventSubscription events = engine.monitor().subscribe(done.id(), 4)) {
                ExecutionEvent snapshot = events.next(WAIT);
                assertEquals(Type.SNAPSHOT, snapshot.type());
                assertEquals("succeeded", snapshot.status());
                assertEquals(NodeRunStatus.SUCCEEDED, snapshot.snapshot().nodes().getFirst().status());
                assertTrue(snapshot.terminal());
                assertNull(events.next(Duration.ofMillis(10)));
                assertTrue(events.ended());
            }
            assertThrows(NotFoundException.class, () -> engine.monitor().subscribe("nope", 4));
        }
    }

    @Test
    void theStreamOfAllExecutionsShowsRunsInProgressAndNewOnesOfItsWorkflow() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'g', 'name': 'g', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'gate', 'type': 'test.gate'}], 'connections': [{'from': 'in.out', 'to': 'gate.in'}]}"));
            engine.workflows().create(json("{'id': 'other', 'name': 'other', 'nodes': [{'id': 'in', 'type': 'test.input'}]}"));
            Execution waiting = engine.executions().start("g", json("{}"), "manual");
            assertTrue(gateStarted.await(20, TimeUnit.SECONDS));
            try (EventSubscription all = engine.monitor().subscribeAll("g", 1000)) {
                ExecutionEvent first = all.next(WAIT);
                assertEquals(Type.SNAPSHOT, first.type());
                assertEquals(waiting.id(), first.executionId());
                engine.executions().await(engine.executions().start("other", json("{}"), "manual").id(), WAIT);
                gateOpen.countDown();
                engine.executions().await(waiting.id(), WAIT);
                Execution second = engine.executions().await(engine.executions().start("g", json("{}"), "manual").id(), WAIT);
                List<ExecutionEvent> seen = new ArrayList<>();
                ExecutionEvent e;
                while ((e = all.next(Duration.ofMillis(200))) != null) {
                    seen.add(e);
                }
                assertTrue(seen.stream().allMatch(x -> "g".equals(x.workflowId())), "only workflow g: " + seen);
                assertTrue(seen.stream().anyMatch(x -> x.executionId().equals(waiting.id()) && x.terminal()));
                List<ExecutionEvent> ofSecond = seen.stream().filter(x -> x.executionId().equals(second.id())).toList();
                assertEquals(Type.SNAPSHOT, ofSecond.getFirst().type(), "a new execution starts with its snapshot");
                assertContiguous(ofSecond.getFirst().seq(), ofSecond.subList(1, ofSecond.size()));
                assertTrue(ofSecond.getLast().terminal());
                assertFalse(all.ended(), "the stream of all executions goes on");
            }
            assertEquals(0, engine.monitor().statistics().subscribers());
        }
    }

    @Test
    void countersFollowTheRuns() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'ok', 'name': 'ok', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'c', 'type': 'test.chatty'}], 'connections': [{'from': 'in.out', 'to': 'c.in'}]}"));
            engine.workflows().create(json("{'id': 'bad', 'name': 'bad', 'nodes': [{'id': 'f', 'type': 'test.fail',"
                    + " 'config': {'retryable': true, 'failTimes': 1}, 'retry': {'maxAttempts': 1}}]}"));
            for (int i = 0; i < 3; i++) {
                engine.executions().await(engine.executions().start("ok", json("{}"), "manual").id(), WAIT);
            }
            engine.executions().await(engine.executions().start("bad", json("{}"), "manual").id(), WAIT);
            ExecutionStatistics stats = engine.monitor().statistics();
            assertEquals(4, stats.started());
            assertEquals(3L, stats.finished().get(ExecutionStatus.SUCCEEDED));
            assertEquals(1L, stats.finished().get(ExecutionStatus.FAILED));
            assertEquals(0L, stats.finished().get(ExecutionStatus.CANCELLED));
            assertEquals(0, stats.running());
            ExecutionStatistics.DurationHistogram chattyRuns = stats.nodeDurations().get("test.chatty");
            assertEquals(3, chattyRuns.count());
            assertEquals(3L, chattyRuns.counts().getLast(), "every run lasted less than the largest bucket");
            assertEquals(1, stats.nodeDurations().get("test.fail").count(), "a failed node run counts too");
        }
    }

    @Test
    void aRetriedAttemptIsAnnouncedBeforeTheNextOne() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'flaky', 'name': 'flaky', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'gate', 'type': 'test.gate'}, {'id': 'f', 'type': 'test.fail', 'config': {'retryable': true, 'failTimes': 1},"
                    + " 'retry': {'maxAttempts': 2, 'initialDelayMs': 1}}],"
                    + "'connections': [{'from': 'in.out', 'to': 'gate.in'}, {'from': 'gate.out', 'to': 'f.in'}]}"));
            Execution started = engine.executions().start("flaky", json("{}"), "manual");
            assertTrue(gateStarted.await(20, TimeUnit.SECONDS));
            try (EventSubscription events = engine.monitor().subscribe(started.id(), 100)) {
                events.next(WAIT);
                gateOpen.countDown();
                List<String> ofF = drain(events).stream().filter(e -> "f".equals(e.nodeId()) && e.type() != Type.NODE_LOG)
                        .map(e -> e.type().json() + " " + e.status() + " " + e.attempt()).toList();
                assertEquals(List.of("node.started running 1", "node.retrying failed 1", "node.started running 2",
                        "node.finished succeeded 2"), ofF);
            }
        }
    }

    @Test
    void waitingAndCancellingAreStreamedAndTheGaugesFollow() throws Exception {
        NodeType ask = new Simple("test.ask") {
            @Override
            public NodeResult execute(NodeContext ctx) {
                return NodeResult.waiting(new io.qflow.sdk.WaitRequest(json("{}"), List.of("approve"), null, null));
            }
        };
        try (Engine engine = Engine.builder().nodeTypes(nodes.input(), ask).build()) {
            engine.workflows().create(json("{'id': 'w', 'name': 'w', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'ask', 'type': 'test.ask'}], 'connections': [{'from': 'in.out', 'to': 'ask.in'}]}"));
            try (EventSubscription all = engine.monitor().subscribeAll(null, 100)) {
                Execution started = engine.executions().start("w", json("{}"), "manual");
                Execution waiting = engine.executions().awaitSettled(started.id(), WAIT);
                assertEquals(ExecutionStatus.WAITING, waiting.status());
                ExecutionStatistics stats = engine.monitor().statistics();
                assertEquals(1, stats.waiting());
                assertEquals(0, stats.running());
                engine.executions().cancel(started.id());
                assertEquals(0, engine.monitor().statistics().waiting());
                List<String> seen = new ArrayList<>();
                ExecutionEvent e;
                while ((e = all.next(Duration.ofMillis(200))) != null) {
                    if (e.type() != Type.NODE_LOG) {
                        seen.add(e.type().json() + (e.nodeId() == null ? "" : " " + e.nodeId()) + " " + e.status());
                    }
                }
                assertEquals(List.of("snapshot running", "node.started in running", "node.finished in succeeded",
                        "node.started ask running", "node.waiting ask waiting", "execution.status waiting",
                        "node.failed ask cancelled", "execution.status cancelled"), seen);
                assertEquals(1L, engine.monitor().statistics().finished().get(ExecutionStatus.CANCELLED));
            }
        }
    }

    @Test
    void aSubscriberOfSomeTypesGetsOnlyThose() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'c', 'name': 'c', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'c', 'type': 'test.chatty'}], 'connections': [{'from': 'in.out', 'to': 'c.in'}]}"));
            try (EventSubscription ends = engine.monitor().subscribeAll(null, 10, java.util.Set.of(Type.EXECUTION_STATUS))) {
                Execution done = engine.executions().await(engine.executions().start("c", json("{}"), "manual").id(), WAIT);
                ExecutionEvent only = ends.next(WAIT);
                assertEquals(Type.EXECUTION_STATUS, only.type());
                assertEquals(done.id(), only.executionId());
                assertEquals("succeeded", only.status());
                assertNull(ends.next(Duration.ofMillis(100)), "no snapshot, no node events");
            }
        }
    }

    @Test
    void aFollowerWaitingWithoutADeadlineGetsEachEventAndStopsWhenTheStreamIsClosed() throws Exception {
        try (Engine engine = engine()) {
            engine.workflows().create(json("{'id': 'c', 'name': 'c', 'nodes': [{'id': 'in', 'type': 'test.input'},"
                    + "{'id': 'c', 'type': 'test.chatty'}], 'connections': [{'from': 'in.out', 'to': 'c.in'}]}"));
            EventSubscription ends = engine.monitor().subscribeAll(null, 10, java.util.Set.of(Type.EXECUTION_STATUS));
            List<ExecutionEvent> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch succeeded = new CountDownLatch(1);
            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    ExecutionEvent e;
                    while ((e = ends.next()) != null) {
                        seen.add(e);
                        if ("succeeded".equals(e.status())) {
                            succeeded.countDown();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Execution done = engine.executions().await(engine.executions().start("c", json("{}"), "manual").id(), WAIT);
            assertTrue(succeeded.await(20, TimeUnit.SECONDS), "the follower got no end event: " + seen);
            assertTrue(seen.stream().allMatch(e -> e.executionId().equals(done.id()) && e.type() == Type.EXECUTION_STATUS), seen::toString);
            assertTrue(follower.isAlive(), "next() returned before the stream ended");
            ends.close();
            assertTrue(follower.join(Duration.ofSeconds(20)), "next() still waits after the subscription was closed");
        }
    }

    private static List<ExecutionEvent> drain(EventSubscription events) throws InterruptedException {
        List<ExecutionEvent> all = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!events.ended()) {
            assertTrue(System.nanoTime() < deadline, "the stream did not end: " + all);
            ExecutionEvent e = events.next(Duration.ofMillis(100));
            if (e != null) {
                all.add(e);
            }
        }
        return all;
    }

    private static void assertContiguous(long after, List<ExecutionEvent> events) {
        long expected = after;
        for (ExecutionEvent e : events) {
            expected++;
            assertEquals(expected, e.seq(), "event " + e.type().json() + " " + e.nodeId() + " in " + events);
        }
    }

    private static Map<String, NodeRun> byNode(Execution execution) {
        Map<String, NodeRun> runs = new HashMap<>();
        execution.nodes().forEach(n -> runs.put(n.nodeId(), n));
        return runs;
    }

    private abstract static class Simple implements NodeType {
        private final NodeDescriptor descriptor;

        Simple(String type) {
            this.descriptor = NodeDescriptor.builder(type).input("in", DataType.ANY, "", false).output("out", DataType.ANY, "").build();
        }

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }
    }
}

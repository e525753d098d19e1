package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Nodes that start on their first delivered input (a Merge in mode first) versus wait-for-all. */
class FirstArrivalTest {

    private final TestNodes nodes = new TestNodes();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** test.join: in1, in2 optional; emits the inputs it saw; first arrival when config.first is true. */
    private final NodeType join = new NodeType() {
        private final NodeDescriptor descriptor = NodeDescriptor.builder("test.join")
                .input("in1", DataType.ANY, "", false).input("in2", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public boolean startsOnFirstInput(JsonNode config) {
            return config.path("first").asBoolean();
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            com.fasterxml.jackson.databind.node.ObjectNode seen = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            ctx.inputs().forEach(seen::set);
            return NodeResult.of("out", seen);
        }
    };

    private Engine engine() {
        return Engine.builder().nodeTypes(join, nodes.value(), nodes.block(started, release)).build();
    }

    /** fast (a value) and slow (blocked until released) both feed j. */
    private static final String RACE = """
            {'name': 'race', 'nodes': [
              {'id': 'fast', 'type': 'test.value', 'config': {'value': 'fast'}},
              {'id': 'slow', 'type': 'test.block'},
              {'id': 'j', 'type': 'test.join', 'config': {'first': %s}}
            ], 'connections': [{'from': 'fast.out', 'to': 'j.in1'}, {'from': 'slow.out', 'to': 'j.in2'}]}""";

    private static NodeRun node(Execution e, String id) {
        return e.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aFirstArrivalNodeRunsBeforeTheSlowBranchEndsAndIgnoresItsValue() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow wf = engine.workflows().create(json(RACE.formatted("true")));
            String id = engine.executions().start(wf.id(), null, "manual").id();
            started.await();
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
            while (node(engine.executions().get(id).orElseThrow(), "j").status() != NodeRunStatus.SUCCEEDED) {
                assertTrue(java.time.Instant.now().isBefore(deadline), "j did not run while slow was still running");
                Thread.sleep(5);
            }
            assertEquals(json("{'in1': 'fast'}"), node(engine.executions().get(id).orElseThrow(), "j").outputs().get("out"));
            release.countDown();
            Execution done = engine.executions().await(id, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertEquals(json("{'in1': 'fast'}"), node(done, "j").outputs().get("out"), "the later value changes nothing");
            assertTrue(node(done, "j").logs().stream().anyMatch(l -> l.message().contains("ignored a later arrival from slow.out")),
                    node(done, "j").logs().toString());
        }
    }

    @Test
    void waitForAllIsTheDefault() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow wf = engine.workflows().create(json(RACE.formatted("false")));
            String id = engine.executions().start(wf.id(), null, "manual").id();
            started.await();
            Thread.sleep(50);
            assertEquals(NodeRunStatus.PENDING, node(engine.executions().get(id).orElseThrow(), "j").status());
            release.countDown();
            Execution done = engine.executions().await(id, Duration.ofSeconds(10));
            assertEquals(json("{'in1': 'fast', 'in2': true}"), node(done, "j").outputs().get("out"));
        }
    }
}

package io.qflow.rest.internal;

import static io.qflow.rest.internal.RestApiTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qflow.engine.Engine;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The API on the real in-memory engine: what the editor and the benchmark do. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineRestTest {

    /** source (config from the run's input) → double → increment: the benchmark's 3-node shape. */
    static final String THREE_NODES = """
            {"schemaVersion": 1, "name": "Three nodes",
             "nodes": [
               {"id": "a", "type": "test.source", "config": {"value": "{{ input.x }}"}, "position": {"x": 10, "y": 20}},
               {"id": "b", "type": "test.double"},
               {"id": "c", "type": "test.increment"}],
             "connections": [{"from": "a.out", "to": "b.in"}, {"from": "b.out", "to": "c.in"}]}""";

    private EngineClient server;
    private Engine engine;
    private TestClient client;

    @BeforeAll
    void start() {
        server = EngineClient.of(new Source(), new Arithmetic("test.double", 2, 0), new Arithmetic("test.increment", 1, 1));
        engine = server.engine();
        client = server.client();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void createRunAndWaitReadBack() {
        TestClient.Response created = client.post("/api/v1/workflows", THREE_NODES);
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();
        assertEquals(10, created.json().at("/nodes/0/position/x").asInt());

        TestClient.Response run = client.post("/api/v1/workflows/" + id + "/executions", "{\"input\": {\"x\": 20}, \"wait\": true}");
        assertEquals(200, run.status(), run.toString());
        JsonNode execution = run.json();
        assertEquals("succeeded", execution.get("status").asText(), execution.toString());
        assertEquals(41, execution.at("/outputs/c/out").asInt(), execution.toString());
        assertEquals(3, execution.get("nodes").size());
        for (JsonNode node : execution.get("nodes")) {
            assertEquals("succeeded", node.get("status").asText(), node.toString());
            assertEquals(1, node.get("attempts").asInt());
        }

        JsonNode read = client.get("/api/v1/executions/" + execution.get("id").asText()).json();
        assertEquals(41, read.at("/outputs/c/out").asInt());
        JsonNode page = client.get("/api/v1/executions?workflowId=" + id).json();
        assertEquals(execution.get("id").asText(), page.at("/items/0/id").asText());

        JsonNode workflow = client.get("/api/v1/workflows/" + id).json();
        assertTrue(workflow.get("available").asBoolean(), workflow.toString());
        TestClient.Response updated = client.put("/api/v1/workflows/" + id, workflow.toString());
        assertEquals(200, updated.status(), updated.toString());
        assertEquals(2, updated.json().get("version").asInt());
    }

    @Test
    void runWithoutWaitThenPollAndCancelConflict() throws Exception {
        String id = client.post("/api/v1/workflows", THREE_NODES).json().get("id").asText();
        TestClient.Response accepted = client.post("/api/v1/workflows/" + id + "/executions", "{\"input\": {\"x\": 1}}");
        assertEquals(202, accepted.status(), accepted.toString());
        String executionId = accepted.json().get("id").asText();
        engine.executions().await(executionId, java.time.Duration.ofSeconds(10));
        assertEquals("succeeded", client.get(accepted.header("Location")).json().get("status").asText());
        assertProblem(client.post("/api/v1/executions/" + executionId + "/cancel", ""), 409, "conflict");
    }

    @Test
    void invalidWorkflowIs422AndLeavesNothingStored() {
        int before = client.get("/api/v1/workflows").json().size();
        TestClient.Response refused = client.post("/api/v1/workflows", THREE_NODES
                .replace("\"test.double\"", "\"test.missing\"").replace("\"Three nodes\"", "\"Broken\""));
        assertProblem(refused, 422, "validation-failed");
        assertFalse(refused.json().get("errors").isEmpty());
        assertTrue(refused.json().get("errors").toString().contains("test.missing"), refused.toString());
        assertEquals(before, client.get("/api/v1/workflows").json().size());
    }

    @Test
    void catalogueComesFromTheEngine() {
        JsonNode types = client.get("/api/v1/node-types").json();
        assertEquals(3, types.size());
        JsonNode doubler = client.get("/api/v1/node-types/test.double").json();
        assertEquals("number", doubler.at("/inputs/0/type").asText());
        assertEquals("builtin", doubler.get("provider").asText());
        assertEquals(3, client.get("/api/v1/health").json().get("nodeTypes").asInt());
    }

    @Test
    void unknownIdsAre404() {
        assertProblem(client.get("/api/v1/workflows/nope"), 404, "not-found");
        assertProblem(client.post("/api/v1/workflows/nope/executions", "{}"), 404, "not-found");
        assertProblem(client.get("/api/v1/executions/nope"), 404, "not-found");
        assertProblem(client.delete("/api/v1/workflows/nope"), 404, "not-found");
    }

    static final class Source implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.source").name("Source").category("Test")
                    .configSchema("{\"type\":\"object\",\"properties\":{\"value\":{}}}")
                    .output("out", DataType.NUMBER, "the configured value").build();
        }

        @Override
        public NodeResult execute(NodeContext context) {
            return NodeResult.of("out", context.config().get("value"));
        }
    }

    static final class Arithmetic implements NodeType {
        private final String type;
        private final double factor;
        private final double add;

        Arithmetic(String type, double factor, double add) {
            this.type = type;
            this.factor = factor;
            this.add = add;
        }

        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder(type).name(type).category("Test")
                    .input("in", DataType.NUMBER, "a number", true)
                    .output("out", DataType.NUMBER, "the result").build();
        }

        @Override
        public NodeResult execute(NodeContext context) {
            double result = context.input("in").asDouble() * factor + add;
            return NodeResult.of("out", result == Math.rint(result)
                    ? JsonNodeFactory.instance.numberNode((long) result) : JsonNodeFactory.instance.numberNode(result));
        }
    }
}

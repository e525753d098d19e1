package io.qflow.rest.internal;

import static io.qflow.rest.internal.RestApiTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.Engine;
import io.qflow.sdk.DataType;
import io.qflow.sdk.DecisionException;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.WaitRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /executions/{id}/resume} on the real in-memory engine, and its problems. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HumanInTheLoopRestTest {

    static final String ASK = """
            {"schemaVersion": 1, "name": "Ask",
             "nodes": [{"id": "ask", "type": "test.ask"}, {"id": "after", "type": "test.ask"}],
             "connections": [{"from": "ask.out", "to": "after.in"}]}""";

    private EngineClient server;
    private Engine engine;
    private TestClient client;

    @BeforeAll
    void start() {
        server = EngineClient.of(new Ask());
        engine = server.engine();
        client = server.client();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String waitingExecution() throws Exception {
        String workflow = client.post("/api/v1/workflows", ASK).json().get("id").asText();
        String id = client.post("/api/v1/workflows/" + workflow + "/executions", "{}").json().get("id").asText();
        awaitStatus(id, "waiting");
        return id;
    }

    private JsonNode awaitStatus(String id, String status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            JsonNode execution = client.get("/api/v1/executions/" + id).json();
            if (status.equals(execution.get("status").asText())) {
                return execution;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(id + " not " + status + " after 10 s");
    }

    @Test
    void getShowsWhatTheWaitingNodeAsksAndResumeContinues() throws Exception {
        String id = waitingExecution();
        JsonNode execution = client.get("/api/v1/executions/" + id).json();
        assertEquals("waiting", execution.at("/nodes/0/status").asText());
        assertEquals("Go?", execution.at("/nodes/0/outputs/waitingFor/request/title").asText());
        assertEquals("go", execution.at("/nodes/0/outputs/waitingFor/decisions/0").asText());

        TestClient.Response resumed = client.post("/api/v1/executions/" + id + "/resume",
                "{\"node\": \"ask\", \"decision\": \"go\", \"data\": {\"n\": 1}}");
        assertEquals(200, resumed.status(), resumed.toString());
        assertEquals("succeeded", resumed.json().at("/nodes/0/status").asText());
        assertEquals(1, resumed.json().at("/nodes/0/outputs/out/n").asInt());

        awaitStatus(id, "waiting"); // now the second node waits
        client.post("/api/v1/executions/" + id + "/resume", "{\"node\": \"after\", \"decision\": \"go\"}");
        assertEquals("succeeded", awaitStatus(id, "succeeded").get("status").asText());
        assertProblem(client.post("/api/v1/executions/" + id + "/resume", "{\"node\": \"after\", \"decision\": \"go\"}"),
                409, "conflict");
    }

    @Test
    void badResumeRequestsAreProblemsAndChangeNothing() throws Exception {
        String id = waitingExecution();
        String path = "/api/v1/executions/" + id + "/resume";
        assertProblem(client.post(path, ""), 400, "invalid-request");
        assertProblem(client.post(path, "[1]"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"decision\": \"go\"}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"node\": \"ask\"}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"node\": \"ask\", \"decision\": \"go\", \"data\": 3}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"node\": \"ask\", \"decision\": \"go\", \"extra\": 1}"), 400, "invalid-request");

        TestClient.Response decision = client.post(path, "{\"node\": \"ask\", \"decision\": \"maybe\"}");
        assertProblem(decision, 422, "validation-failed");
        assertEquals("/decision", decision.json().at("/errors/0/field").asText());
        TestClient.Response data = client.post(path, "{\"node\": \"ask\", \"decision\": \"go\", \"data\": {\"n\": \"x\"}}");
        assertProblem(data, 422, "validation-failed");
        assertEquals("/data/n", data.json().at("/errors/0/field").asText());
        assertEquals("ask", data.json().at("/errors/0/nodeId").asText());
        TestClient.Response node = client.post(path, "{\"node\": \"nope\", \"decision\": \"go\"}");
        assertProblem(node, 422, "validation-failed");
        assertEquals("/node", node.json().at("/errors/0/field").asText());
        assertProblem(client.post(path, "{\"node\": \"after\", \"decision\": \"go\"}"), 409, "conflict");
        assertProblem(client.post("/api/v1/executions/nope/resume", "{\"node\": \"ask\", \"decision\": \"go\"}"), 404, "not-found");

        JsonNode after = client.get("/api/v1/executions/" + id).json();
        assertEquals("waiting", after.get("status").asText());
        assertEquals("waiting", after.at("/nodes/0/status").asText());
        assertEquals("pending", after.at("/nodes/1/status").asText());
        client.post("/api/v1/executions/" + id + "/cancel", "");
    }

    /** test.ask: waits for "go"; data.n, when given, must be a number. */
    static final class Ask implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.ask").name("Ask").category("Test")
                    .input("in", DataType.ANY, "", false).output("out", DataType.ANY, "the decision's data").build();
        }

        @Override
        public NodeResult execute(NodeContext context) throws Exception {
            if (context.decision().isEmpty()) {
                return NodeResult.waiting(new WaitRequest(RestJson.newMapper().readTree("{\"title\": \"Go?\"}"),
                        List.of("go"), null, null));
            }
            JsonNode data = context.decision().get().data();
            if (data.has("n") && !data.get("n").isNumber()) {
                throw new DecisionException("/data/n", "n must be a number");
            }
            return NodeResult.of("out", data);
        }
    }
}

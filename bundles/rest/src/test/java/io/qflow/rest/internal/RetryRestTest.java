package io.qflow.rest.internal;

import static io.qflow.rest.internal.RestApiTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.Engine;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /executions/{id}/retry} on the real in-memory engine, and its problems; error workflows at save. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryRestTest {

    private final AtomicBoolean broken = new AtomicBoolean(true);
    private EngineClient server;
    private Engine engine;
    private TestClient client;

    @BeforeAll
    void start() {
        server = EngineClient.of(new Flaky());
        engine = server.engine();
        client = server.client();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String failedExecution() {
        broken.set(true);
        String workflow = client.post("/api/v1/workflows", """
                {"schemaVersion": 1, "name": "Flaky", "nodes": [{"id": "f", "type": "test.flaky"}]}""").json().get("id").asText();
        JsonNode run = client.post("/api/v1/workflows/" + workflow + "/executions", "{\"input\": {\"x\": 1}, \"wait\": true}").json();
        assertEquals("failed", run.get("status").asText(), run.toString());
        return run.get("id").asText();
    }

    private JsonNode awaitFinal(String location) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            JsonNode execution = client.get(location).json();
            if (!execution.get("status").asText().matches("queued|running|waiting")) {
                return execution;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(location + " did not finish");
    }

    @Test
    void retryCreatesALinkedExecution() throws Exception {
        String failed = failedExecution();
        broken.set(false);
        TestClient.Response retry = client.post("/api/v1/executions/" + failed + "/retry", "");
        assertEquals(202, retry.status(), retry.toString());
        assertEquals("retry:" + failed, retry.json().get("trigger").asText());
        assertEquals(1, retry.json().at("/input/x").asInt());
        JsonNode done = awaitFinal(retry.header("Location"));
        assertEquals("succeeded", done.get("status").asText(), done.toString());

        TestClient.Response fromStart = client.post("/api/v1/executions/" + failed + "/retry",
                "{\"from\": \"start\", \"workflowVersion\": \"original\"}");
        assertEquals(202, fromStart.status(), fromStart.toString());
        assertEquals("succeeded", awaitFinal(fromStart.header("Location")).get("status").asText());
    }

    @Test
    void badRetryRequestsAreProblemsAndCreateNothing() throws Exception {
        String failed = failedExecution();
        String path = "/api/v1/executions/" + failed + "/retry";
        int before = client.get("/api/v1/executions?limit=1000").json().get("items").size();
        assertProblem(client.post(path, "[1]"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"from\": \"middle\"}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"workflowVersion\": 2}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"extra\": true}"), 400, "invalid-request");
        assertProblem(client.post("/api/v1/executions/nope/retry", ""), 404, "not-found");
        broken.set(false);
        JsonNode succeeded = awaitFinal(client.post(path, "").header("Location"));
        assertProblem(client.post("/api/v1/executions/" + succeeded.get("id").asText() + "/retry", "{\"from\": \"failed\"}"),
                409, "conflict");
        assertEquals(before + 1, client.get("/api/v1/executions?limit=1000").json().get("items").size());
    }

    @Test
    void aMissingErrorWorkflowIs422NamingTheSetting() {
        TestClient.Response refused = client.post("/api/v1/workflows", """
                {"schemaVersion": 1, "name": "Orphan", "settings": {"errorWorkflow": "nowhere"},
                 "nodes": [{"id": "f", "type": "test.flaky"}]}""");
        assertProblem(refused, 422, "validation-failed");
        assertEquals("/settings/errorWorkflow", refused.json().at("/errors/0/field").asText());
    }

    /** test.flaky: fails while {@link #broken} is set. */
    final class Flaky implements NodeType {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.flaky").name("Flaky").category("Test")
                    .output("out", DataType.ANY, "").build();
        }

        @Override
        public NodeResult execute(NodeContext context) throws NodeException {
            if (broken.get()) {
                throw NodeException.permanent("test.broken", "broken");
            }
            return NodeResult.of("out", context.evaluate("{{ input }}", java.util.Map.of()));
        }
    }
}

package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.python.PythonException;
import io.qflow.python.PythonService;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/python}: 503 while the adapter is absent, the adapter's answers passed through once
 * it comes (no restart), its failures as problem+json with their code and pip's output, and pip's
 * progress as Server-Sent Events. The adapter itself is tested in bundles/python and PythonE2EIT.
 */
class PythonRestTest {

    private final AtomicReference<Object> python = new AtomicReference<>();
    private TestClient client;

    @BeforeEach
    void start() {
        client = new TestClient(new FakeServices().api(RestSettings.forTests()).servePython(() -> Optional.ofNullable(python.get())));
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    void answers503UntilTheAdapterComesThenServesIt() {
        TestClient.Response absent = client.post("/api/v1/python/analyze", "{\"code\": \"def f(): pass\"}");
        assertEquals(503, absent.status(), absent::toString);
        assertTrue(absent.contentType().startsWith("application/problem+json"));
        python.set(new FakePython());
        TestClient.Response present = client.post("/api/v1/python/analyze", "{\"code\": \"def f(): pass\"}");
        assertEquals(200, present.status(), present::toString);
        assertEquals("def f(): pass", present.json().path("echo").path("code").asText());
    }

    @Test
    void adapterFailuresAreProblemsWithTheirCodeAndOutput() {
        python.set(new FakePython());
        TestClient.Response failed = client.post("/api/v1/python/environments", "{\"requirements\": [\"nope\"]}");
        assertEquals(422, failed.status(), failed::toString);
        assertTrue(failed.contentType().startsWith("application/problem+json"));
        assertEquals("python.install_failed", failed.json().path("code").asText());
        assertTrue(failed.json().path("output").asText().contains("No matching distribution"), failed::toString);
        TestClient.Response missing = client.get("/api/v1/python/nodes/none");
        assertEquals(404, missing.status(), missing::toString);
        TestClient.Response badJson = client.post("/api/v1/python/test", "{not json");
        assertEquals(400, badJson.status(), badJson::toString);
    }

    @Test
    void pipProgressStreamsAsServerSentEvents() {
        python.set(new FakePython());
        TestClient.Response stream = client.send(HttpRequest.newBuilder(client.uri("/api/v1/python/environments"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"requirements\": [\"pyyaml\"]}")));
        assertEquals(200, stream.status(), stream::toString);
        assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
        assertTrue(stream.text().contains("event: progress\ndata: Collecting pyyaml\n\n"), stream.text());
        assertTrue(stream.text().contains("event: result\ndata: {\"key\":\"py313-0123456789abcdef\"}"), stream.text());
        TestClient.Response failing = client.send(HttpRequest.newBuilder(client.uri("/api/v1/python/environments"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"requirements\": [\"nope\"]}")));
        assertTrue(failing.text().contains("event: error\ndata: {"), failing.text());
        assertTrue(failing.text().contains("python.install_failed"), failing.text());
    }

    /** Echoes requests; "nope" cannot be installed. */
    static final class FakePython implements PythonService {
        @Override
        public JsonNode analyze(JsonNode request) {
            ObjectNode answer = TestClient.JSON.createObjectNode();
            answer.set("echo", request);
            return answer;
        }

        @Override
        public JsonNode test(JsonNode request) {
            return request;
        }

        @Override
        public JsonNode saveNode(JsonNode request) {
            return request;
        }

        @Override
        public List<JsonNode> nodes() {
            return List.of();
        }

        @Override
        public Optional<JsonNode> node(String name) {
            return Optional.empty();
        }

        @Override
        public boolean deleteNode(String name) {
            return false;
        }

        @Override
        public JsonNode interpreters() {
            return TestClient.JSON.createObjectNode();
        }

        @Override
        public JsonNode environments() {
            return TestClient.JSON.createObjectNode();
        }

        @Override
        public JsonNode prepareEnvironment(JsonNode request, Consumer<String> progress) throws PythonException {
            String requirement = request.path("requirements").path(0).asText();
            progress.accept("Collecting " + requirement);
            if (requirement.equals("nope")) {
                throw new PythonException(PythonException.Kind.UNPROCESSABLE, "python.install_failed", "pip could not install nope",
                        "ERROR: No matching distribution found for nope", null);
            }
            return TestClient.JSON.createObjectNode().put("key", "py313-0123456789abcdef");
        }

        @Override
        public Map<String, Integer> workerPools() {
            return Map.of();
        }
    }
}

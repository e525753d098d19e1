package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every route and error class of the API against fake services, over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {

    private static final String VALID = """
            {"schemaVersion": 1, "name": "Hello", "nodes": [{"id": "a", "type": "core.input", "position": {"x": 1, "y": 2}}],
             "connections": []}""";

    private final FakeServices services = new FakeServices();
    private TestClient client;

    @BeforeAll
    void start() {
        client = new TestClient(services.api(RestSettings.forTests()));
    }

    @AfterAll
    void stop() {
        client.close();
    }

    // --- system

    @Test
    void healthReportsUpVersionAndNodeTypeCount() {
        TestClient.Response response = client.get("/api/v1/health");
        assertEquals(200, response.status());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        JsonNode health = response.json();
        assertEquals("UP", health.get("status").asText());
        assertEquals("test", health.get("version").asText());
        assertEquals(3, health.get("nodeTypes").asInt());
    }

    @Test
    void startPageIsHtmlLinkingToTheApi() {
        TestClient.Response response = client.get("/");
        assertEquals(200, response.status());
        assertTrue(response.contentType().startsWith("text/html"));
        assertTrue(response.text().contains("/api/v1/openapi.json"));
    }

    @Test
    void openApiDocumentIsServed() {
        TestClient.Response response = client.get("/api/v1/openapi.json");
        assertEquals(200, response.status());
        assertEquals("3.1.0", response.json().get("openapi").asText());
    }

    // --- node types

    @Test
    void nodeTypesAreServedAsDescriptorsWithProvider() {
        JsonNode list = client.get("/api/v1/node-types").json();
        assertEquals(3, list.size());
        JsonNode http = find(list, "core.http.request");
        assertEquals(1, http.get("version").asInt());
        assertEquals("HTTP request", http.get("name").asText());
        assertEquals("Network", http.get("category").asText());
        assertEquals("globe", http.get("icon").asText());
        assertEquals("builtin", http.get("provider").asText());
        assertEquals("in", http.get("inputs").get(0).get("name").asText());
        assertEquals("any", http.get("inputs").get(0).get("type").asText());
        assertFalse(http.get("inputs").get(0).get("required").asBoolean());
        assertEquals("object", http.get("configSchema").get("type").asText());
        assertEquals("https://example.org", http.get("examples").get(0).get("url").asText());
        JsonNode sum = find(list, "test.sum");
        assertEquals("array<number>", sum.get("inputs").get(0).get("type").asText());
        assertTrue(sum.get("inputs").get(0).get("required").asBoolean());
    }

    @Test
    void nodeTypesCanBeFilteredByCategoryAndText() {
        JsonNode network = client.get("/api/v1/node-types?category=network").json();
        assertEquals(1, network.size());
        assertEquals("core.http.request", network.get(0).get("type").asText());
        JsonNode adds = client.get("/api/v1/node-types?q=ADDS").json();
        assertEquals(1, adds.size());
        assertEquals("test.sum", adds.get(0).get("type").asText());
        assertEquals(0, client.get("/api/v1/node-types?q=nothing-like-this").json().size());
    }

    @Test
    void oneNodeTypeOr404() {
        assertEquals("Sum", client.get("/api/v1/node-types/test.sum").json().get("name").asText());
        assertProblem(client.get("/api/v1/node-types/no.such"), 404, "not-found");
    }

    @Test
    void compatibilityUsesTheLinkingRule() {
        JsonNode yes = client.get("/api/v1/node-types/compatibility?source=integer&target=number").json();
        assertTrue(yes.get("compatible").asBoolean());
        assertNotNull(yes.get("reason").asText());
        JsonNode no = client.get("/api/v1/node-types/compatibility?source=string%3F&target=string").json();
        assertFalse(no.get("compatible").asBoolean());
        JsonNode arrays = client.get("/api/v1/node-types/compatibility?source=array%3Cinteger%3E&target=list").json();
        assertTrue(arrays.get("compatible").asBoolean());
        assertProblem(client.get("/api/v1/node-types/compatibility?source=integer"), 400, "invalid-request");
        TestClient.Response bad = client.get("/api/v1/node-types/compatibility?source=integr&target=number");
        assertProblem(bad, 400, "invalid-request");
        assertTrue(bad.json().get("detail").asText().contains("integr"));
    }

    // --- workflows

    @Test
    void workflowLifecycle() {
        TestClient.Response created = client.post("/api/v1/workflows", VALID);
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();
        assertEquals("/api/v1/workflows/" + id, created.header("Location"));
        assertEquals(1, created.json().get("version").asInt());
        assertEquals(1, created.json().at("/nodes/0/position/x").asInt(), "editor-only fields are kept");

        JsonNode read = client.get("/api/v1/workflows/" + id).json();
        assertEquals("Hello", read.get("name").asText());
        assertTrue(read.get("available").asBoolean());
        assertEquals(0, read.get("problems").size());

        // What GET returned can be sent back as it is.
        TestClient.Response updated = client.put("/api/v1/workflows/" + id, read.toString().replace("Hello", "Renamed"));
        assertEquals(200, updated.status(), updated.toString());
        assertEquals(2, updated.json().get("version").asInt());
        assertFalse(updated.json().has("available"));

        TestClient.Response stale = client.put("/api/v1/workflows/" + id, read.toString());
        assertProblem(stale, 409, "conflict");

        JsonNode list = client.get("/api/v1/workflows").json();
        JsonNode summary = find(list, id, "id");
        assertEquals("Renamed", summary.get("name").asText());
        assertEquals(2, summary.get("version").asInt());
        assertTrue(summary.get("updatedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), summary.toString());

        assertEquals(204, client.delete("/api/v1/workflows/" + id).status());
        assertProblem(client.get("/api/v1/workflows/" + id), 404, "not-found");
        assertProblem(client.delete("/api/v1/workflows/" + id), 404, "not-found");
        assertProblem(client.put("/api/v1/workflows/" + id, VALID), 404, "not-found");
    }

    @Test
    void invalidWorkflowIs422WithEveryProblemAndNothingIsStored() {
        int before = services.workflows.stored.size();
        TestClient.Response response = client.post("/api/v1/workflows", """
                {"id": "broken", "nodes": [{"id": "x", "type": "nope.one"}, {"id": "y", "type": "nope.two"}]}""");
        assertProblem(response, 422, "validation-failed");
        JsonNode errors = response.json().get("errors");
        assertEquals(2, errors.size());
        assertEquals("node.type.unknown", errors.get(0).get("code").asText());
        assertEquals("x", errors.get(0).get("nodeId").asText());
        assertNotNull(errors.get(0).get("message").asText());
        assertEquals(before, services.workflows.stored.size());
        assertProblem(client.get("/api/v1/workflows/broken"), 404, "not-found");
    }

    @Test
    void validateAnswers200EitherWay() {
        TestClient.Response ok = client.post("/api/v1/workflows/validate", VALID);
        assertEquals(200, ok.status());
        assertTrue(ok.json().get("valid").asBoolean());
        TestClient.Response bad = client.post("/api/v1/workflows/validate", "{\"nodes\": [{\"id\": \"x\", \"type\": \"nope.one\"}]}");
        assertEquals(200, bad.status());
        assertFalse(bad.json().get("valid").asBoolean());
        assertEquals("x", bad.json().at("/problems/0/nodeId").asText());
    }

    @Test
    void putWithAnotherIdInTheBodyIsRefused() {
        String id = client.post("/api/v1/workflows", VALID).json().get("id").asText();
        assertProblem(client.put("/api/v1/workflows/" + id, "{\"id\": \"other\", \"nodes\": []}"), 400, "invalid-request");
    }

    // --- executions

    @Test
    void runAndWaitAnswersTheFinishedExecution() {
        String id = client.post("/api/v1/workflows", VALID).json().get("id").asText();
        TestClient.Response run = client.post("/api/v1/workflows/" + id + "/executions",
                "{\"input\": {\"name\": \"Ada\"}, \"wait\": true, \"timeoutSeconds\": 5}");
        assertEquals(200, run.status(), run.toString());
        JsonNode execution = run.json();
        assertEquals("succeeded", execution.get("status").asText());
        assertEquals(id, execution.get("workflowId").asText());
        assertEquals("Ada", execution.at("/outputs/a/out/name").asText());
        assertEquals("succeeded", execution.at("/nodes/0/status").asText());
        assertTrue(execution.get("finishedAt").asText().endsWith("Z"), "ISO dates: " + execution.get("finishedAt"));
    }

    @Test
    void runAndWaitSendsTheEnginesJsonOfTheExecutionAsItIs() {
        String id = client.post("/api/v1/workflows", VALID).json().get("id").asText();
        // Laid out unlike this API's mapper would write it, to tell the engine's bytes from a second writing.
        byte[] engines = "{\n  \"status\" : \"succeeded\",\n  \"note\" : \"written by the engine ✓\"\n}".getBytes(StandardCharsets.UTF_8);
        services.executions.encodedAnswer = engines;
        try {
            TestClient.Response run = client.post("/api/v1/workflows/" + id + "/executions", "{\"wait\": true, \"timeoutSeconds\": 5}");

            assertEquals(200, run.status(), run.toString());
            assertTrue(run.contentType().startsWith("application/json"), run.contentType());
            assertArrayEquals(engines, run.raw().body());
        } finally {
            services.executions.encodedAnswer = null;
        }
    }

    @Test
    void runWithoutWaitIs202WithLocation() {
        String id = client.post("/api/v1/workflows", VALID).json().get("id").asText();
        TestClient.Response run = client.post("/api/v1/workflows/" + id + "/executions", "{\"input\": {\"n\": 1}}");
        assertEquals(202, run.status(), run.toString());
        String executionId = run.json().get("id").asText();
        assertEquals("/api/v1/executions/" + executionId, run.header("Location"));
        assertNotNull(run.json().get("status"));
        JsonNode full = client.get("/api/v1/executions/" + executionId).json();
        assertEquals("succeeded", full.get("status").asText());
        assertEquals(1, full.get("nodes").size());
    }

    @Test
    void missingOrEmptyRunBodyMeansEmptyInput() {
        String id = client.post("/api/v1/workflows", VALID).json().get("id").asText();
        TestClient.Response noBody = client.send(HttpRequest.newBuilder(client.uri("/api/v1/workflows/" + id + "/executions"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, noBody.status(), noBody.toString());
        assertEquals(0, noBody.json().get("input").size());
        assertEquals(202, client.post("/api/v1/workflows/" + id + "/executions", "").status());
        assertEquals(202, client.post("/api/v1/workflows/" + id + "/executions", "{}").status());
    }

    @Test
    void waitThatTimesOutIs202WithTheCurrentRecord() {
        String id = client.post("/api/v1/workflows", VALID.replace("Hello", "slow")).json().get("id").asText();
        TestClient.Response run = client.post("/api/v1/workflows/" + id + "/executions", "{\"wait\": true, \"timeoutSeconds\": 1}");
        assertEquals(202, run.status(), run.toString());
        assertEquals("running", run.json().get("status").asText());
        String executionId = run.json().get("id").asText();
        assertNotNull(run.header("Location"));

        TestClient.Response cancelled = client.post("/api/v1/executions/" + executionId + "/cancel", "");
        assertEquals(200, cancelled.status(), cancelled.toString());
        assertEquals("cancelled", cancelled.json().get("status").asText());
        assertProblem(client.post("/api/v1/executions/" + executionId + "/cancel", ""), 409, "conflict");
    }

    @Test
    void badRunRequestsAre400() {
        String id = client.post("/api/v1/workflows", VALID).json().get("id").asText();
        String path = "/api/v1/workflows/" + id + "/executions";
        assertProblem(client.post(path, "{\"wait\": \"yes\"}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"timeoutSeconds\": 0}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"timeoutSeconds\": 1.5}"), 400, "invalid-request");
        assertProblem(client.post(path, "{\"wiat\": true}"), 400, "invalid-request");
        assertProblem(client.post(path, "[1, 2]"), 400, "invalid-request");
        assertProblem(client.post("/api/v1/workflows/nope/executions", "{}"), 404, "not-found");
    }

    @Test
    void unknownExecutionIs404() {
        assertProblem(client.get("/api/v1/executions/nope"), 404, "not-found");
        assertProblem(client.post("/api/v1/executions/nope/cancel", ""), 404, "not-found");
    }

    @Test
    void executionHistoryPagesWithNext() {
        String id = client.post("/api/v1/workflows", VALID.replace("Hello", "paged")).json().get("id").asText();
        for (int i = 0; i < 5; i++) {
            assertEquals(202, client.post("/api/v1/workflows/" + id + "/executions", "{}").status());
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = client.get("/api/v1/executions?workflowId=" + id + "&limit=2" + (next == null ? "" : "&before=" + next)).json();
            page.get("items").forEach(item -> {
                seen.add(item.get("id").asText());
                assertEquals(0, item.get("nodes").size(), "summaries carry no node runs");
            });
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null && pages < 10);
        assertEquals(5, seen.size(), seen.toString());
        assertEquals(3, pages);
        assertEquals(seen.stream().sorted(java.util.Comparator.reverseOrder()).toList(), seen, "newest first");

        JsonNode succeeded = client.get("/api/v1/executions?workflowId=" + id + "&status=succeeded").json();
        assertEquals(5, succeeded.get("items").size());
        assertTrue(succeeded.get("next").isNull());
        assertEquals(0, client.get("/api/v1/executions?workflowId=" + id + "&status=FAILED").json().get("items").size());
    }

    @Test
    void badHistoryQueriesAre400() {
        assertProblem(client.get("/api/v1/executions?status=done"), 400, "invalid-request");
        assertProblem(client.get("/api/v1/executions?limit=0"), 400, "invalid-request");
        assertProblem(client.get("/api/v1/executions?limit=1001"), 400, "invalid-request");
        assertProblem(client.get("/api/v1/executions?limit=ten"), 400, "invalid-request");
    }

    // --- plugins

    @Test
    void pluginsListAndOne() {
        JsonNode list = client.get("/api/v1/plugins").json();
        assertTrue(list.size() >= 1);
        assertEquals("org.apache.felix.framework", client.get("/api/v1/plugins/0").json().get("symbolicName").asText());
        assertProblem(client.get("/api/v1/plugins/999"), 404, "not-found");
        assertProblem(client.get("/api/v1/plugins/abc"), 404, "not-found");
    }

    @Test
    void pluginUploadRawAndMultipart() {
        byte[] jar = {0x50, 0x4b, 3, 4, 1, 2, 3};
        TestClient.Response raw = client.send(HttpRequest.newBuilder(client.uri("/api/v1/plugins?filename=raw.jar"))
                .header("Content-Type", "application/java-archive").POST(HttpRequest.BodyPublishers.ofByteArray(jar)));
        assertEquals(202, raw.status(), raw.toString());
        assertEquals("plugins/raw.jar", raw.json().get("stored").asText());
        assertEquals(jar.length, services.plugins.uploads.get("raw.jar").length);

        String boundary = "qflowBoundary";
        byte[] multipart = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"multi.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\nPK-content\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        TestClient.Response form = client.send(HttpRequest.newBuilder(client.uri("/api/v1/plugins"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart)));
        assertEquals(202, form.status(), form.toString());
        assertEquals("PK-content", new String(services.plugins.uploads.get("multi.jar"), StandardCharsets.UTF_8));

        TestClient.Response notAJar = client.send(HttpRequest.newBuilder(client.uri("/api/v1/plugins?filename=evil.txt"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(jar)));
        assertProblem(notAJar, 400, "invalid-request");
        TestClient.Response noName = client.send(HttpRequest.newBuilder(client.uri("/api/v1/plugins"))
                .header("Content-Type", "application/java-archive").POST(HttpRequest.BodyPublishers.ofByteArray(jar)));
        assertProblem(noName, 400, "invalid-request");
        assertProblem(client.post("/api/v1/plugins", "{}"), 415, "unsupported-media-type");
    }

    @Test
    void pluginRemoval() {
        assertProblem(client.delete("/api/v1/plugins/0"), 409, "conflict");
        assertEquals(204, client.delete("/api/v1/plugins/12").status());
        assertProblem(client.delete("/api/v1/plugins/12"), 404, "not-found");
    }

    // --- errors

    @Test
    void malformedJsonIs400NamingLineAndColumn() {
        TestClient.Response response = client.post("/api/v1/workflows", "{\n  \"name\": \"x\",\n  \"nodes\": [,]\n}");
        assertProblem(response, 400, "malformed-json");
        String detail = response.json().get("detail").asText();
        assertTrue(detail.contains("line 3, column"), detail);
        assertProblem(client.post("/api/v1/workflows", "{\"a\": 1} trailing"), 400, "malformed-json");
        assertProblem(client.post("/api/v1/workflows", "{\"a\": 1, \"a\": 2}"), 400, "malformed-json");
        assertProblem(client.post("/api/v1/workflows", "[]"), 400, "invalid-request");
        assertProblem(client.post("/api/v1/workflows", ""), 400, "invalid-request");
    }

    @Test
    void wrongContentTypeIs415() {
        TestClient.Response response = client.send(HttpRequest.newBuilder(client.uri("/api/v1/workflows"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(VALID)));
        assertProblem(response, 415, "unsupported-media-type");
        TestClient.Response problemJson = client.send(HttpRequest.newBuilder(client.uri("/api/v1/workflows/validate"))
                .header("Content-Type", "application/merge-patch+json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(VALID)));
        assertEquals(200, problemJson.status(), "+json types are JSON");
    }

    @Test
    void unknownRouteIs404Problem() {
        assertProblem(client.get("/api/v1/nothing-here"), 404, "not-found");
        assertProblem(client.get("/nothing-here.txt"), 404, "not-found");
    }

    @Test
    void theFaviconIsNoContentRatherThanAFailedRequest() {
        TestClient.Response favicon = client.get("/favicon.ico");
        assertEquals(204, favicon.status());
        assertEquals("", favicon.text());
    }

    @Test
    void wrongMethodIs405Problem() {
        assertProblem(client.send(HttpRequest.newBuilder(client.uri("/api/v1/health")).DELETE()), 405, "method-not-allowed");
    }

    @Test
    void unexpectedFailureIs500WithCorrelationId() {
        String id = client.post("/api/v1/workflows", VALID.replace("Hello", "explode")).json().get("id").asText();
        TestClient.Response response = client.post("/api/v1/workflows/" + id + "/executions", "{}");
        assertProblem(response, 500, "internal-error");
        String correlation = response.json().get("correlationId").asText();
        assertTrue(response.json().get("detail").asText().contains(correlation));
        assertFalse(response.text().contains("broke on purpose"), "internals stay in the log");
    }

    @Test
    void bodyOverTheLimitIs413() {
        try (TestClient small = new TestClient(services.api(RestSettings.forTests().withMaxBodyBytes(100)))) {
            String big = "{\"name\": \"" + "x".repeat(200) + "\", \"nodes\": []}";
            assertProblem(small.post("/api/v1/workflows", big), 413, "body-too-large");
            // Without Content-Length (chunked), the limit holds while reading.
            TestClient.Response chunked = small.send(HttpRequest.newBuilder(small.uri("/api/v1/workflows"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
            assertProblem(chunked, 413, "body-too-large");
            assertEquals(201, small.post("/api/v1/workflows", "{\"nodes\": []}").status());
        }
    }

    @Test
    void plainBenchRouteOnlyWhenEnabled() {
        assertProblem(client.post("/api/v1/_plain", "{}"), 404, "not-found");
        try (TestClient bench = new TestClient(services.api(RestSettings.forTests().withBenchPlain(true)))) {
            TestClient.Response response = bench.post("/api/v1/_plain", "{\"status\": \"succeeded\", \"outputs\": {\"a\": 1}}");
            assertEquals(200, response.status());
            assertEquals("succeeded", response.json().get("status").asText(), "answers the JSON it was given");
            assertEquals(1, response.json().at("/outputs/a").asInt());
            assertProblem(bench.post("/api/v1/_plain", "{oops"), 400, "malformed-json");
        }
    }

    static void assertProblem(TestClient.Response response, int status, String type) {
        assertEquals(status, response.status(), response.toString());
        assertTrue(response.contentType().startsWith("application/problem+json"), "content type: " + response.contentType());
        JsonNode problem = response.json();
        assertEquals("urn:qflow:problem:" + type, problem.get("type").asText(), response.toString());
        assertEquals(status, problem.get("status").asInt());
        assertFalse(problem.get("title").asText().isBlank());
        assertFalse(problem.get("detail").asText().isBlank());
        assertTrue(problem.get("instance").asText().startsWith("/"), response.toString());
        if (!"validation-failed".equals(type)) {
            assertNull(problem.get("errors"));
        }
    }

    private static JsonNode find(JsonNode list, String type) {
        return find(list, type, "type");
    }

    private static JsonNode find(JsonNode list, String value, String field) {
        for (JsonNode item : list) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + list);
    }
}

package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.qflow.engine.Engine;
import io.qflow.engine.spi.MetricsSource;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live event streams (SSE and WebSocket, read by real clients) and GET /metrics, on a real in-memory engine. */
class EventStreamRestTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final CountDownLatch gateStarted = new CountDownLatch(1);
    private final CountDownLatch gateOpen = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Engine engine;
    private TestClient client;

    /** test.gate: logs, waits for the test, emits true. */
    private final NodeType gate = new NodeType() {
        private final NodeDescriptor descriptor = NodeDescriptor.builder("test.gate").input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public NodeResult execute(NodeContext ctx) throws Exception {
            ctx.log().info("at the gate");
            gateStarted.countDown();
            gateOpen.await();
            ctx.log().info("through");
            return NodeResult.of("out", BooleanNode.TRUE);
        }
    };

    private void start(RestSettings settings, boolean withMonitor) {
        engine = Engine.builder().nodeTypes(gate).build();
        RestApi api = new RestApi(engine.workflows(), engine.executions(), engine.catalog(), new FakeServices.FakePlugins(), settings);
        if (withMonitor) {
            api.serveEvents(() -> Optional.of(engine.monitor()));
        }
        api.serveMetricSources(() -> List.of(() -> List.of(
                MetricsSource.Sample.gauge("qflow_python_workers", "Live Python workers by pool", Map.of("pool", "process/abc"), 2))));
        client = new TestClient(api);
        client.post("/api/v1/workflows", """
                {"schemaVersion": 1, "id": "g", "name": "g", "nodes": [{"id": "a", "type": "test.gate"}, {"id": "b", "type": "test.gate"}],
                 "connections": [{"from": "a.out", "to": "b.in"}]}""");
    }

    @AfterEach
    void stop() {
        gateOpen.countDown();
        if (client != null) {
            client.close();
        }
        if (engine != null) {
            engine.close();
        }
        http.close();
    }

    private String startRun() {
        TestClient.Response started = client.post("/api/v1/workflows/g/executions", "{}");
        assertEquals(202, started.status(), started.toString());
        return started.json().get("id").asText();
    }

    /** One parsed SSE event. */
    private record Sse(String event, String id, JsonNode data) {
    }

    /** Reads SSE events from a real HTTP response until the server ends the stream (comments skipped). */
    private static List<Sse> readSse(InputStream body, int max) throws Exception {
        List<Sse> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while (events.size() < max && (line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Sse(event, id, TestClient.JSON.readTree(data.toString())));
                    }
                    event = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        }
        return events;
    }

    @Test
    void sseGivesALateClientTheSnapshotThenTheLiveEventsAndEndsWithTheExecution() throws Exception {
        start(RestSettings.forTests(), true);
        String id = startRun();
        assertTrue(gateStarted.await(20, TimeUnit.SECONDS));
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(client.uri("/api/v1/executions/" + id + "/events"))
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        gateOpen.countDown();
        List<Sse> events = readSse(response.body(), 1000);

        Sse snapshot = events.getFirst();
        assertEquals("snapshot", snapshot.event());
        assertEquals(id, snapshot.data().get("execution").get("id").asText());
        assertEquals("running", snapshot.data().get("status").asText());
        List<String> seen = new ArrayList<>();
        long seq = snapshot.data().get("seq").asLong();
        for (Sse e : events.subList(1, events.size())) {
            assertEquals(e.event(), e.data().get("type").asText());
            assertEquals(++seq, e.data().get("seq").asLong(), "no gap: " + events);
            assertEquals(Long.toString(seq), e.id());
            seen.add(e.event() + (e.data().has("nodeId") ? " " + e.data().get("nodeId").asText() : ""));
        }
        // the snapshot may already show a's second log line; everything after it comes in order
        int finishedA = seen.indexOf("node.finished a");
        assertTrue(finishedA >= 0, seen.toString());
        assertEquals(List.of("node.started b", "node.log b", "node.log b", "node.finished b", "execution.status"),
                seen.subList(finishedA + 1, seen.size()));
        JsonNode end = events.getLast().data();
        assertEquals("succeeded", end.get("status").asText());
        assertNotNull(end.get("finishedAt"));
    }

    @Test
    void anUnknownExecutionIsA404AndAMissingMonitorA503() throws Exception {
        start(RestSettings.forTests(), false);
        TestClient.Response missing = client.get("/api/v1/executions/nope/events");
        assertEquals(503, missing.status(), missing.toString());
        assertTrue(missing.contentType().startsWith("application/problem+json"), missing.contentType());
        client.close();
        engine.close();

        start(RestSettings.forTests(), true);
        TestClient.Response unknown = client.get("/api/v1/executions/nope/events");
        assertEquals(404, unknown.status(), unknown.toString());
        assertTrue(unknown.contentType().startsWith("application/problem+json"), unknown.contentType());
        assertTrue(unknown.json().get("detail").asText().contains("nope"));
    }

    /** Collects the text messages of a real WebSocket client and how it was closed. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(TestClient.JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    closed.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + WAIT);
            return message;
        }
    }

    private java.net.URI ws(String path) {
        return java.net.URI.create(client.uri(path).toString().replaceFirst("^http", "ws"));
    }

    @Test
    void theWebSocketOfAllExecutionsShowsNewRunsOfItsWorkflow() throws Exception {
        start(RestSettings.forTests(), true);
        Collector collector = new Collector();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(ws("/api/v1/ws?workflowId=g"), collector).get(20, TimeUnit.SECONDS);
        try {
            gateOpen.countDown();
            String id = startRun();
            JsonNode first = collector.next();
            assertEquals("snapshot", first.get("type").asText());
            assertEquals(id, first.get("executionId").asText());
            Map<String, String> nodeStatus = new HashMap<>();
            JsonNode message = first;
            while (!"execution.status".equals(message.get("type").asText())) {
                message = collector.next();
                assertEquals(id, message.get("executionId").asText());
                if (message.get("type").asText().startsWith("node.") && message.has("status")) {
                    nodeStatus.put(message.get("nodeId").asText(), message.get("status").asText());
                }
            }
            assertEquals("succeeded", message.get("status").asText());
            assertEquals(Map.of("a", "succeeded", "b", "succeeded"), nodeStatus);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(20, TimeUnit.SECONDS);
        }
        assertEquals(WebSocket.NORMAL_CLOSURE, collector.closed.get(20, TimeUnit.SECONDS));
        awaitNoSubscribers();
    }

    @Test
    void theWebSocketOfOneExecutionEndsWithItAndAnUnknownOneIsClosedWith4404() throws Exception {
        start(RestSettings.forTests(), true);
        String id = startRun();
        assertTrue(gateStarted.await(20, TimeUnit.SECONDS));
        Collector collector = new Collector();
        http.newWebSocketBuilder().buildAsync(ws("/api/v1/executions/" + id + "/ws"), collector).get(20, TimeUnit.SECONDS);
        assertEquals("snapshot", collector.next().get("type").asText());
        gateOpen.countDown();
        JsonNode last;
        do {
            last = collector.next();
        } while (!"execution.status".equals(last.get("type").asText()));
        assertEquals("succeeded", last.get("status").asText());
        assertEquals(WebSocket.NORMAL_CLOSURE, collector.closed.get(20, TimeUnit.SECONDS), "the server closes the finished stream");

        Collector unknown = new Collector();
        http.newWebSocketBuilder().buildAsync(ws("/api/v1/executions/nope/ws"), unknown).get(20, TimeUnit.SECONDS);
        assertEquals(4404, unknown.closed.get(20, TimeUnit.SECONDS));
        awaitNoSubscribers();
    }

    private void awaitNoSubscribers() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (engine.monitor().statistics().subscribers() > 0) {
            assertTrue(System.nanoTime() < deadline, "subscriptions left open: " + engine.monitor().statistics().subscribers());
            Thread.sleep(10); // polling a condition with a deadline
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void metricsAreValidPrometheusTextAndCountTheRuns() throws Exception {
        start(RestSettings.forTests(), true);
        gateOpen.countDown();
        TestClient.Response run = client.post("/api/v1/workflows/g/executions", "{\"wait\": true}");
        assertEquals("succeeded", run.json().get("status").asText(), run.toString());

        TestClient.Response metrics = client.get("/metrics");
        assertEquals(200, metrics.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.contentType());
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        String current = null;
        for (String line : metrics.text().split("\n")) {
            if (line.startsWith("# HELP ")) {
                current = line.split(" ")[2];
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(current, parts[2], "TYPE follows HELP of the same metric");
                assertTrue(types.put(parts[2], parts[3]) == null, "declared once: " + parts[2]);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            String family = m.group(1).replaceAll("_(bucket|sum|count)$", "");
            assertTrue(m.group(1).equals(current) || family.equals(current), line + " outside its family " + current);
            if (m.group(3) != null) {
                Matcher labels = LABEL.matcher(m.group(3));
                int end = 0;
                while (labels.find()) {
                    end = labels.end();
                    if (end < m.group(3).length()) {
                        assertEquals(',', m.group(3).charAt(end));
                        end++;
                    }
                }
                assertEquals(m.group(3).length(), end, "labels: " + line);
            }
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(4).replace("+Inf", "Infinity")));
        }
        assertEquals("counter", types.get("qflow_executions_started_total"));
        assertEquals(1.0, samples.get("qflow_executions_started_total"));
        assertEquals(1.0, samples.get("qflow_executions_finished_total{status=\"succeeded\"}"));
        assertEquals(0.0, samples.get("qflow_executions_finished_total{status=\"failed\"}"));
        assertEquals(0.0, samples.get("qflow_executions_running"));
        assertEquals("histogram", types.get("qflow_node_run_duration_seconds"));
        assertEquals(2.0, samples.get("qflow_node_run_duration_seconds_count{node_type=\"test.gate\"}"));
        assertEquals(2.0, samples.get("qflow_node_run_duration_seconds_bucket{le=\"+Inf\",node_type=\"test.gate\"}"));
        double previous = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            if (sample.getKey().startsWith("qflow_node_run_duration_seconds_bucket{")) {
                assertTrue(sample.getValue() >= previous, "buckets are cumulative: " + sample);
                previous = sample.getValue();
            }
        }
        assertEquals(2.0, samples.get("qflow_python_workers{pool=\"process/abc\"}"), "a MetricsSource's sample is served");
        assertTrue(samples.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);
        assertTrue(samples.get("jvm_threads_live") > 0);
    }

    @Test
    void withTokensTheStreamsTakeTheTokenInTheQueryAndMetricsNeedAViewer() throws Exception {
        start(RestSettings.forTests().withApiTokens(ApiTokens.parse("admin:root-token,viewer:look-token")), true);
        client.bearer("root-token");
        client.post("/api/v1/workflows", """
                {"schemaVersion": 1, "id": "g", "name": "g", "nodes": [{"id": "a", "type": "test.gate"}]}""");
        gateOpen.countDown();
        String id = client.post("/api/v1/workflows/g/executions", "{\"wait\": true}").json().get("id").asText();
        client.bearer(null);

        assertEquals(401, client.get("/metrics").status());
        assertEquals(401, client.get("/api/v1/executions/" + id + "/events").status());
        assertEquals(401, client.get("/api/v1/executions/" + id + "/events?access_token=wrong").status());
        assertEquals(401, client.get("/api/v1/executions/" + id + "?access_token=look-token").status(),
                "only the event streams take the token in the query");
        TestClient.Response stream = client.get("/api/v1/executions/" + id + "/events?access_token=look-token");
        assertEquals(200, stream.status(), stream.toString());
        assertTrue(stream.text().contains("event: snapshot\n"), stream.text());

        Collector refused = new Collector();
        try {
            http.newWebSocketBuilder().buildAsync(ws("/api/v1/ws"), refused).get(20, TimeUnit.SECONDS);
            throw new AssertionError("a WebSocket without a token was accepted");
        } catch (java.util.concurrent.ExecutionException expected) {
            assertTrue(expected.getCause() instanceof java.net.http.WebSocketHandshakeException, expected.toString());
            assertEquals(401, ((java.net.http.WebSocketHandshakeException) expected.getCause()).getResponse().statusCode());
        }
        Collector allowed = new Collector();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(ws("/api/v1/ws?access_token=look-token"), allowed).get(20, TimeUnit.SECONDS);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(20, TimeUnit.SECONDS);

        client.bearer("look-token");
        assertEquals(200, client.get("/metrics").status());
    }
}

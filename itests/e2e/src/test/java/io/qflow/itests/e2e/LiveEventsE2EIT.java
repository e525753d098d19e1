package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live events and metrics on the real distribution: a run with a delay node, an SSE client that
 * connects while it runs gets the snapshot, then node.finished and execution.status in order; the
 * counters of {@code GET /metrics} move with the run.
 */
class LiveEventsE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @RegisterExtension
    final RuntimeCopies runtimes = new RuntimeCopies();
    private QflowProcess qflow;

    @Test
    void aLateSseClientSeesTheSnapshotThenTheRestOfTheRunAndMetricsCountIt() throws Exception {
        qflow = runtimes.copy(temp);
        Api api = Polling.startAndAwaitUp(qflow, STARTUP);
        Map<String, Double> before = metrics(api);

        Api.Response created = api.post("/api/v1/workflows", """
                {"schemaVersion": 1, "id": "live", "name": "live",
                 "nodes": [{"id": "start", "type": "core.input"}, {"id": "pause", "type": "core.delay", "config": {"ms": 1500}},
                           {"id": "done", "type": "core.set", "config": {"values": {"ok": true}}}],
                 "connections": [{"from": "start.out", "to": "pause.in"}, {"from": "pause.out", "to": "done.in"}]}""");
        assertEquals(201, created.status(), created.toString());
        Api.Response started = api.post("/api/v1/workflows/live/executions", "{}");
        assertEquals(202, started.status(), started.toString());
        String id = started.json().get("id").asText();
        // connect late: once the delay node runs
        Polling.await("node 'pause' running", Duration.ofSeconds(20), () -> {
            JsonNode execution = api.get("/api/v1/executions/" + id).json();
            for (JsonNode node : execution.get("nodes")) {
                if (node.get("nodeId").asText().equals("pause") && node.get("status").asText().equals("running")) {
                    return Optional.of(true);
                }
            }
            return Optional.empty();
        });

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + qflow.port() + "/api/v1/executions/" + id + "/events"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            List<JsonNode> events = read(stream.body());
            System.out.println("[e2e] live events of " + id + ": " + events.stream()
                    .map(e -> e.get("seq") + " " + e.get("type").asText() + (e.has("nodeId") ? " " + e.get("nodeId").asText() : "")).toList());

            JsonNode snapshot = events.getFirst();
            assertEquals("snapshot", snapshot.get("type").asText());
            Map<String, String> shown = new HashMap<>();
            snapshot.get("execution").get("nodes").forEach(n -> shown.put(n.get("nodeId").asText(), n.get("status").asText()));
            assertEquals("succeeded", shown.get("start"));
            assertEquals("running", shown.get("pause"));
            long seq = snapshot.get("seq").asLong();
            List<String> after = new ArrayList<>();
            for (JsonNode e : events.subList(1, events.size())) {
                assertEquals(++seq, e.get("seq").asLong(), "no gap, no duplicate");
                if (!e.get("type").asText().equals("node.log")) {
                    after.add(e.get("type").asText() + (e.has("nodeId") ? " " + e.get("nodeId").asText() : "") + " " + e.get("status").asText());
                }
            }
            assertEquals(List.of("node.finished pause succeeded", "node.started done running", "node.finished done succeeded",
                    "execution.status succeeded"), after);
        }

        Map<String, Double> now = metrics(api);
        assertEquals(before.getOrDefault("qflow_executions_started_total", 0.0) + 1, now.get("qflow_executions_started_total"));
        assertEquals(before.getOrDefault("qflow_executions_finished_total{status=\"succeeded\"}", 0.0) + 1,
                now.get("qflow_executions_finished_total{status=\"succeeded\"}"));
        assertEquals(1.0, now.get("qflow_node_run_duration_seconds_count{node_type=\"core.delay\"}"));
        assertTrue(now.get("qflow_node_run_duration_seconds_sum{node_type=\"core.delay\"}") >= 1.5);
        assertEquals(0.0, now.get("qflow_executions_running"));
        System.out.println("[e2e] /metrics after the run: " + now.entrySet().stream()
                .filter(e -> e.getKey().startsWith("qflow_")).map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static List<JsonNode> read(InputStream body) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && data.length() > 0) {
                    events.add(Api.parse(data.toString()));
                    data.setLength(0);
                }
            }
        }
        return events;
    }

    private static Map<String, Double> metrics(Api api) throws Exception {
        Api.Response response = api.get("/metrics");
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.contentType().startsWith("text/plain; version=0.0.4"), response.contentType());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.text().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity")));
            }
        }
        return samples;
    }
}

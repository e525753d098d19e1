package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability as the issue states it: {@code kill -9} of the runtime's JVM while 100 executions are
 * running, a start on the same data folder (embedded H2), and every execution finishes; nodes that
 * had completed are not run again, interrupted ones run again with attempt 2, and the history holds
 * exactly the 100 executions.
 */
class DurabilityE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final int EXECUTIONS = 100;
    /** Two parallel branches of this many delays each, between core.input and core.set. */
    private static final int CHAIN = 5;
    /**
     * Long enough that nodes running in the last snapshot are still running at the kill: fetching
     * the snapshot of 100 executions on a loaded 2-core machine took up to ~400 ms, and at 400 ms
     * a run once saw every one of them finish before the kill (nothing left to interrupt).
     */
    private static final int DELAY_MS = 800;

    @TempDir
    Path temp;

    @RegisterExtension
    final RuntimeCopies runtimes = new RuntimeCopies();
    private QflowProcess qflow;

    @Test
    void aHundredExecutionsKilledMidwayAllFinishWithoutRerunningCompletedNodes() throws Exception {
        qflow = runtimes.copy(temp);
        Api first = Polling.startAndAwaitUp(qflow, STARTUP);

        Api.Response created = first.post("/api/v1/workflows", workflow());
        assertEquals(201, created.status(), created::toString);
        String workflowId = created.json().path("id").asText();

        List<String> ids = startAll(first, workflowId);
        assertEquals(EXECUTIONS, new TreeSet<>(ids).size(), "distinct execution ids");

        // Kill once every execution is running and some delay nodes have completed (others are mid-sleep).
        Map<String, JsonNode> before = Polling.await("all " + EXECUTIONS + " running, a quarter of them past a delay node",
                Duration.ofSeconds(30), () -> {
                    Map<String, JsonNode> snapshot = snapshot(first, ids);
                    long finished = snapshot.values().stream().filter(e -> !"running".equals(e.path("status").asText())).count();
                    if (finished > 0) {
                        fail(finished + " executions were no longer running before any delay node had finished: "
                                + "the machine is too slow for this workflow's timings");
                    }
                    long progressed = snapshot.values().stream()
                            .filter(e -> nodes(e).values().stream().anyMatch(n -> n.path("nodeId").asText().startsWith("delay")
                                    && "succeeded".equals(n.path("status").asText())))
                            .count();
                    return progressed >= EXECUTIONS / 4 ? Optional.of(snapshot) : Optional.empty();
                });
        Instant killedAt = qflow.kill();
        System.out.printf("[e2e] kill -9 with %d executions running: %d delay nodes succeeded, %d running, %d pending%n",
                EXECUTIONS, count(before, "succeeded", "delay"), count(before, "running", "delay"), count(before, "pending", "delay"));

        long t0 = System.nanoTime();
        Instant restartedAt = Instant.now();
        Api api = Polling.startAndAwaitUp(qflow, STARTUP);
        long up = System.nanoTime();
        Api restarted = api;
        Polling.await("all " + EXECUTIONS + " executions succeeded after the restart", Duration.ofSeconds(60), () -> {
            List<JsonNode> listed = list(restarted, workflowId);
            for (JsonNode e : listed) {
                String status = e.path("status").asText();
                if (!"running".equals(status) && !"succeeded".equals(status)) {
                    fail("execution " + e.path("id").asText() + " ended " + status + ": " + restarted.get("/api/v1/executions/"
                            + e.path("id").asText()).text());
                }
            }
            return listed.stream().allMatch(e -> "succeeded".equals(e.path("status").asText())) ? Optional.of(true) : Optional.empty();
        });
        long done = System.nanoTime();
        System.out.printf("[e2e] recovery after kill -9: UP after %d ms, all %d executions succeeded %d ms later (%d ms after the"
                        + " start; the workflow itself takes >= %d ms)%n", (up - t0) / 1_000_000, EXECUTIONS, (done - up) / 1_000_000,
                (done - t0) / 1_000_000, CHAIN * DELAY_MS);

        // Nothing lost, nothing duplicated: the history of the workflow is exactly the 100 executions.
        List<String> listed = list(api, workflowId).stream().map(e -> e.path("id").asText()).toList();
        assertEquals(EXECUTIONS, listed.size(), () -> "listed: " + listed);
        assertEquals(new TreeSet<>(ids), new TreeSet<>(listed));

        Map<String, JsonNode> after = snapshot(api, ids);
        // Recovered = running again: the first node an execution started after the kill. When the
        // last of the 100 got there is the recovery time (finishing then takes what the delays take).
        Instant allResumed = after.values().stream()
                .map(e -> nodes(e).values().stream().map(n -> n.path("startedAt").asText(""))
                        .filter(t -> !t.isEmpty()).map(Instant::parse).filter(t -> t.isAfter(killedAt))
                        .min(Instant::compareTo).orElse(restartedAt))
                .max(Instant::compareTo).orElse(restartedAt);
        System.out.printf("[e2e] all %d executions were running again %d ms after the restart began%n", EXECUTIONS,
                Duration.between(restartedAt, allResumed).toMillis());
        int rerun = 0;
        int completedBeforeKill = 0;
        int inFlight = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            JsonNode execution = after.get(id);
            assertEquals("succeeded", execution.path("status").asText(), execution::toString);
            assertEquals(i, execution.at("/outputs/merge/out/n").asInt(-1), () -> "the input went through both branches: " + execution);
            Map<String, JsonNode> was = nodes(before.get(id));
            for (JsonNode node : execution.path("nodes")) {
                String nodeId = node.path("nodeId").asText();
                String where = id + "/" + nodeId + ": before " + was.get(nodeId) + ", after " + node;
                assertEquals("succeeded", node.path("status").asText(), where);
                int attempts = node.path("attempts").asInt();
                switch (was.get(nodeId).path("status").asText()) {
                    case "succeeded" -> {
                        if (actedOn(nodeId, was)) {
                            // completed, and the engine had acted on it (a successor had started): the
                            // engine acts only on durable state, so it is kept as it was, not run again
                            check(problems, attempts == 1, "completed before the kill but ran again: " + where);
                            for (String field : List.of("startedAt", "finishedAt", "outputs")) {
                                check(problems, was.get(nodeId).path(field).equals(node.path(field)), field + " changed: " + where);
                            }
                        } else if (attempts != 1) {
                            // H2 shows a commit to readers a moment before it is on disk, and the snapshot
                            // can catch that moment; the engine had not acted on it, so the kill may have
                            // lost it: then the node ran again, once, after the kill
                            check(problems, attempts == 2 && instant(node, "startedAt").isAfter(killedAt),
                                    "completion not yet acted on, lost, but not run again once after the kill: " + where);
                            inFlight++;
                        }
                    }
                    case "running" -> {
                        if (attempts == 1) {
                            // it completed between the snapshot and the kill: the same attempt, done before the kill
                            check(problems, was.get(nodeId).path("startedAt").equals(node.path("startedAt"))
                                    && instant(node, "finishedAt").isBefore(killedAt), "attempt 1 not the one before the kill: " + where);
                            completedBeforeKill++;
                        } else {
                            check(problems, attempts == 2 && instant(node, "startedAt").isAfter(killedAt),
                                    "interrupted, but not run again once with attempt 2 after the kill: " + where);
                            rerun++;
                        }
                    }
                    case "pending" -> check(problems, attempts == 1 || attempts == 2, "attempts: " + where);
                    default -> problems.add("unexpected status before the kill: " + where);
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> problems.size() + " node runs broke the durability promise (kill at " + killedAt
                + "), e.g.:\n" + String.join("\n", problems.subList(0, Math.min(10, problems.size()))));
        System.out.printf("[e2e] after recovery: %d interrupted nodes ran again with attempt 2, %d finished between the snapshot"
                + " and the kill, %d completions seen while still being written ran again%n", rerun, completedBeforeKill, inFlight);
        assertTrue(rerun > 0, "some nodes were interrupted by the kill and ran again");
    }

    /**
     * Whether the engine had acted on a node's completion in the snapshot: a node it feeds had left
     * {@code pending}, or the node is a sink of an execution that had finished.
     */
    private static boolean actedOn(String nodeId, Map<String, JsonNode> snapshotNodes) {
        boolean sink = true;
        for (JsonNode connection : workflow().path("connections")) {
            String from = connection.path("from").asText();
            if (from.substring(0, from.indexOf('.')).equals(nodeId)) {
                sink = false;
                String to = connection.path("to").asText();
                JsonNode successor = snapshotNodes.get(to.substring(0, to.indexOf('.')));
                if (successor != null && !"pending".equals(successor.path("status").asText())) {
                    return true;
                }
            }
        }
        return sink && snapshotNodes.values().stream().allMatch(n -> "succeeded".equals(n.path("status").asText()));
    }

    /** core.input, then two branches of {@link #CHAIN} delays each, joined by core.set. */
    private static ObjectNode workflow() {
        ObjectNode doc = Api.JSON.createObjectNode().put("schemaVersion", 1).put("name", "e2e: kill -9 durability");
        doc.putObject("settings").put("maxParallelism", 4);
        ArrayNode nodes = doc.putArray("nodes");
        ArrayNode connections = doc.putArray("connections");
        nodes.addObject().put("id", "start").put("type", "core.input");
        for (String branch : List.of("a", "b")) {
            String previous = "start";
            for (int i = 1; i <= CHAIN; i++) {
                String id = "delay-" + branch + i;
                nodes.addObject().put("id", id).put("type", "core.delay").putObject("config").put("ms", DELAY_MS);
                connections.addObject().put("from", previous + ".out").put("to", id + ".in");
                previous = id;
            }
            connections.addObject().put("from", previous + ".out").put("to", "merge.in");
        }
        nodes.addObject().put("id", "merge").put("type", "core.set").putObject("config").put("keepInput", true)
                .putObject("values").put("merged", true);
        return doc;
    }

    /**
     * {@code settings.persistence: "batched"}: an outcome is on disk before the run-and-wait answer
     * tells it, even though it is written into H2 up to 100 ms later (it is in the outcome journal
     * first). Clients run and wait continuously; {@code kill -9} comes while they are going; after a
     * start on the same data folder, every execution answered before the kill is there, succeeded,
     * with the outputs its answer had and all of its node runs.
     */
    @Test
    void batchedOutcomesAnsweredBeforeAKillAreAllThereAfterIt() throws Exception {
        qflow = runtimes.copy(temp);
        Api first = Polling.startAndAwaitUp(qflow, STARTUP);
        Api.Response created = first.post("/api/v1/workflows", """
                {"schemaVersion": 1, "name": "e2e: batched outcomes survive kill -9", "settings": {"persistence": "batched"},
                 "nodes": [{"id": "input", "type": "core.input"},
                           {"id": "double", "type": "core.set", "config": {"values": {"twice": "{{ in.n * 2 }}"}}},
                           {"id": "done", "type": "core.noop"}],
                 "connections": [{"from": "input.out", "to": "double.in"}, {"from": "double.out", "to": "done.in"}]}""");
        assertEquals(201, created.status(), created::toString);
        String workflowId = created.json().path("id").asText();

        Map<String, JsonNode> answered = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (!killed.get()) {
                    int n = next.getAndIncrement();
                    try {
                        Api.Response run = first.post("/api/v1/workflows/" + workflowId + "/executions",
                                "{\"input\": {\"n\": " + n + "}, \"wait\": true}");
                        if (run.status() == 200 && "succeeded".equals(run.json().path("status").asText())) {
                            answered.put(run.json().path("id").asText(), run.json());
                        }
                    } catch (java.io.IOException | InterruptedException e) {
                        return; // the runtime was killed under this request: it was never answered
                    }
                }
            }));
        }
        Polling.await("500 run-and-wait answers", Duration.ofSeconds(60),
                () -> answered.size() >= 500 ? Optional.of(true) : Optional.empty());
        Instant killedAt = qflow.kill();
        killed.set(true);
        for (Thread client : clients) {
            client.join();
        }
        Map<String, JsonNode> told = Map.copyOf(answered);
        System.out.printf("[e2e] kill -9 at %s after %d batched run-and-wait answers%n", killedAt, told.size());

        Api api = Polling.startAndAwaitUp(qflow, STARTUP);
        String journalLine = qflow.logTail(400).lines().filter(l -> l.contains("outcome journal in")).findFirst()
                .orElse("(no outcome journal was left: every outcome was in H2 already)");
        System.out.println("[e2e] after the restart: " + journalLine);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> answer : told.entrySet()) {
            Api.Response stored = api.get("/api/v1/executions/" + answer.getKey());
            if (stored.status() != 200) {
                problems.add(answer.getKey() + ": answered before the kill, then " + stored.status() + " " + stored.text());
                continue;
            }
            JsonNode execution = stored.json();
            check(problems, "succeeded".equals(execution.path("status").asText()), answer.getKey() + " is " + execution.path("status"));
            check(problems, execution.path("outputs").equals(answer.getValue().path("outputs")),
                    answer.getKey() + ": outputs " + execution.path("outputs") + ", answered " + answer.getValue().path("outputs"));
            check(problems, execution.path("nodes").size() == 3 && java.util.stream.StreamSupport
                            .stream(execution.path("nodes").spliterator(), false)
                            .allMatch(node -> "succeeded".equals(node.path("status").asText())),
                    answer.getKey() + ": node runs " + execution.path("nodes"));
        }
        assertTrue(problems.isEmpty(), () -> problems.size() + " of " + told.size() + " answered outcomes broke the promise; first: "
                + problems.subList(0, Math.min(5, problems.size())) + "\n" + journalLine);
        List<String> listed = list(api, workflowId).stream().map(e -> e.path("id").asText()).toList();
        assertTrue(listed.containsAll(told.keySet()), "the history lists every answered execution");
    }

    /** Starts the executions concurrently without waiting for them; returns their ids by input number. */
    private static List<String> startAll(Api api, String workflowId) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> started = new ArrayList<>();
            for (int i = 0; i < EXECUTIONS; i++) {
                String body = "{\"input\": {\"n\": " + i + "}, \"wait\": false}";
                started.add(clients.submit(() -> {
                    Api.Response run = api.post("/api/v1/workflows/" + workflowId + "/executions", body);
                    assertTrue(run.status() / 100 == 2 && run.json().path("id").isTextual(), run::toString);
                    return run.json().path("id").asText();
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : started) {
                ids.add(f.get());
            }
            return ids;
        }
    }

    /** Every execution with its node runs, fetched concurrently, by id. */
    private static Map<String, JsonNode> snapshot(Api api, List<String> ids) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Api.Response>> answers = new LinkedHashMap<>();
            for (String id : ids) {
                answers.put(id, clients.submit(() -> api.get("/api/v1/executions/" + id)));
            }
            Map<String, JsonNode> executions = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Api.Response>> answer : answers.entrySet()) {
                Api.Response response = answer.getValue().get();
                assertEquals(200, response.status(), response::toString);
                executions.put(answer.getKey(), response.json());
            }
            return executions;
        }
    }

    private static List<JsonNode> list(Api api, String workflowId) throws Exception {
        Api.Response response = api.get("/api/v1/executions?workflowId=" + workflowId + "&limit=1000");
        assertEquals(200, response.status(), response::toString);
        JsonNode array = response.json().isArray() ? response.json() : response.json().path("items");
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static Map<String, JsonNode> nodes(JsonNode execution) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        execution.path("nodes").forEach(n -> byId.put(n.path("nodeId").asText(), n));
        return byId;
    }

    private static long count(Map<String, JsonNode> snapshot, String status, String nodePrefix) {
        return snapshot.values().stream().flatMap(e -> nodes(e).values().stream())
                .filter(n -> n.path("nodeId").asText().startsWith(nodePrefix) && status.equals(n.path("status").asText()))
                .count();
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static Instant instant(JsonNode node, String field) {
        return Instant.parse(node.path(field).asText());
    }
}

package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution as a user gets it: copied to a temporary folder (it must be
 * relocatable), started with {@code bin/qflow}, driven over HTTP only. The tests run in order and
 * share one runtime: later ones use what earlier ones stored, and the last one restarts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DistributionE2EIT.LogOnFailure.class)
class DistributionE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration HOT_DEPLOY = Duration.ofSeconds(20);
    private static final int CORE_NODE_TYPES = 24; // the 20 of the foundation, core.approval, core.form, core.workflow, core.while
    private static final String GREET = "example.greet";

    @TempDir
    static Path temp;

    private QflowProcess qflow;
    private Api api;
    private Path pluginJars;
    /** Deploy latencies, printed at the end. */
    private final Map<String, Duration> latencies = new LinkedHashMap<>();

    // filled in by earlier tests, used by later ones
    private String workflowId;
    private String executionId;
    private String greetWorkflowId;
    /** The first health answer that said UP, and the catalogue as listed right then. */
    private JsonNode firstUp;
    private Set<String> coreTypesAtFirstUp;

    @BeforeAll
    void startRuntime() throws Exception {
        pluginJars = Path.of(System.getProperty("qflow.itest.plugins", "target/plugins-under-test"));
        qflow = QflowProcess.copyOf(RuntimeCopies.distribution(), temp.resolve("qflow"), temp.resolve("data"));
        LogOnFailure.runtime = qflow;
        Duration startup;
        try {
            startup = start();
        } catch (Throwable e) {
            System.out.println("[e2e] the runtime did not come up; last lines of its log:\n" + qflow.logTail(80));
            throw e;
        }
        System.out.printf("[e2e] runtime copied to %s, UP on port %d after %d ms%n", qflow.home(), qflow.port(),
                startup.toMillis());
    }

    @AfterAll
    void stopRuntime() throws InterruptedException {
        try {
            if (qflow != null) {
                qflow.close();
            }
        } finally {
            latencies.forEach((what, took) -> System.out.printf("[e2e] hot deploy: %-38s %5d ms%n", what, took.toMillis()));
        }
    }

    // ---- catalogue ----------------------------------------------------------------------------

    @Test
    @Order(0)
    void isUpOnlyOnceTheBuiltInNodesAreThere() {
        // A client that waits for UP and then saves a workflow must not be told core.set is unknown.
        assertEquals(CORE_NODE_TYPES, coreTypesAtFirstUp.size(), () -> "GET /api/v1/health said " + firstUp
                + " while /api/v1/node-types listed only " + coreTypesAtFirstUp);
    }

    @Test
    @Order(1)
    void listsTheCoreNodeTypesWithPortsTypesAndSchemas() throws Exception {
        long t0 = System.nanoTime();
        List<JsonNode> core = await("the " + CORE_NODE_TYPES + " core.* node types", () -> {
            List<JsonNode> listed = coreTypes();
            return listed.size() >= CORE_NODE_TYPES ? Optional.of(listed) : Optional.empty();
        });
        if (coreTypesAtFirstUp.size() < CORE_NODE_TYPES) {
            System.out.printf("[e2e] the catalogue was complete %d ms after health said UP%n",
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
        }
        Set<String> ids = new TreeSet<>(core.stream().map(t -> t.path("type").asText()).toList());
        assertEquals(CORE_NODE_TYPES, ids.size(), () -> "core node types: " + ids);
        assertTrue(ids.containsAll(Set.of("core.input", "core.set", "core.noop", "core.if", "core.http.request")), ids::toString);

        for (JsonNode type : core) {
            String id = type.path("type").asText();
            assertTrue(type.path("name").isTextual(), () -> id + " has a name");
            assertTrue(type.path("version").asInt() >= 1, () -> id + " has a version");
            JsonNode ports = concat(type.path("inputs"), type.path("outputs"));
            assertFalse(ports.isEmpty(), () -> id + " has ports: " + type);
            for (JsonNode port : ports) {
                assertTrue(port.path("name").isTextual(), () -> id + " port without name: " + port);
                assertTrue(port.path("type").isTextual() && !port.path("type").asText().isBlank(),
                        () -> id + " port without a DataType: " + port);
            }
            assertEquals("object", type.path("configSchema").path("type").asText(), () -> id + " config schema: " + type);
        }

        Api.Response set = api.get("/api/v1/node-types/core.set");
        assertEquals(200, set.status(), set::toString);
        assertEquals("any", port(set.json().path("inputs"), "in").path("type").asText());
        assertEquals("object", port(set.json().path("outputs"), "out").path("type").asText());
        assertTrue(set.json().at("/configSchema/properties/values").isObject(), set::toString);
    }

    // ---- a run --------------------------------------------------------------------------------

    @Test
    @Order(2)
    void runsAThreeNodeWorkflowAndRecordsEveryNode() throws Exception {
        Api.Response created = api.post("/api/v1/workflows", """
                {
                  "schemaVersion": 1,
                  "name": "e2e: input, set, noop",
                  "nodes": [
                    { "id": "start", "type": "core.input", "config": { "defaults": { "greeting": "Hello" } } },
                    { "id": "shape", "type": "core.set", "config": { "values": {
                        "message": "{{ in.greeting }}, {{ in.name }}!",
                        "doubled": "{{ in.count * 2 }}",
                        "user.name": "{{ in.name }}" } } },
                    { "id": "done", "type": "core.noop", "position": { "x": 400, "y": 120 } }
                  ],
                  "connections": [
                    { "from": "start.out", "to": "shape.in" },
                    { "from": "shape.out", "to": "done.in" }
                  ]
                }""");
        assertEquals(201, created.status(), created::toString);
        workflowId = created.json().path("id").asText();
        assertFalse(workflowId.isBlank(), created::toString);

        Api.Response run = api.post("/api/v1/workflows/" + workflowId + "/executions",
                "{\"input\": {\"name\": \"Ada\", \"count\": 21}, \"wait\": true}");
        assertEquals(200, run.status(), run::toString);
        JsonNode execution = run.json();
        assertEquals("succeeded", status(execution), run::toString);
        executionId = execution.path("id").asText();
        assertEquals(workflowId, execution.path("workflowId").asText());
        assertEquals(Api.parse("{\"done\": {\"out\": {\"message\": \"Hello, Ada!\", \"doubled\": 42, \"user\": {\"name\": \"Ada\"}}}}"),
                execution.path("outputs"), run::toString);

        Api.Response fetched = api.get("/api/v1/executions/" + executionId);
        assertEquals(200, fetched.status(), fetched::toString);
        JsonNode nodes = fetched.json().path("nodes");
        assertEquals(List.of("start", "shape", "done"),
                StreamSupport.stream(nodes.spliterator(), false).map(n -> n.path("nodeId").asText()).toList());
        for (JsonNode node : nodes) {
            String id = node.path("nodeId").asText();
            assertEquals("succeeded", status(node), () -> id + ": " + node);
            assertEquals(1, node.path("attempts").asInt(), () -> id + " attempts: " + node);
            assertTrue(node.path("startedAt").isTextual() && node.path("finishedAt").isTextual(), () -> id + " timings: " + node);
            assertTrue(node.path("outputs").isObject(), () -> id + " outputs: " + node);
            assertTrue(node.has("inputs"), () -> id + " inputs: " + node);
            assertTrue(node.path("logs").isArray() || node.path("logs").isMissingNode(), () -> id + " logs: " + node);
        }
        assertEquals("Ada", nodes.get(1).at("/inputs/in/name").asText(), () -> "shape received start's output: " + nodes.get(1));
        assertEquals(42, nodes.get(1).at("/outputs/out/doubled").asInt());
        assertEquals("Hello, Ada!", nodes.get(2).at("/inputs/in/message").asText());
    }

    @Test
    @Order(3)
    void listsExecutionsOfAWorkflow() throws Exception {
        Api.Response list = api.get("/api/v1/executions?workflowId=" + workflowId);
        assertEquals(200, list.status(), list::toString);
        List<JsonNode> found = items(list.json());
        assertEquals(1, found.size(), list::toString);
        assertEquals(executionId, found.get(0).path("id").asText());
        assertEquals("succeeded", status(found.get(0)));
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    @Order(4)
    void refusesMalformedJsonWithAProblem() throws Exception {
        Api.Response response = api.post("/api/v1/workflows", "{\"schemaVersion\": 1, \"nodes\": [");
        assertEquals(400, response.status(), response::toString);
        assertTrue(response.isProblem(), response::toString);
        assertEquals(400, response.json().path("status").asInt(), response::toString);
        assertTrue(response.json().path("title").isTextual(), response::toString);
    }

    @Test
    @Order(5)
    void reportsEveryValidationProblemAtOnceAndStoresNothing() throws Exception {
        int before = items(api.get("/api/v1/workflows").json()).size();
        Api.Response response = api.post("/api/v1/workflows", """
                {
                  "schemaVersion": 1,
                  "name": "e2e: three problems",
                  "nodes": [
                    { "id": "start", "type": "core.input" },
                    { "id": "ghost", "type": "nope.unknown" },
                    { "id": "shape", "type": "core.set", "config": { "values": { "a": 1 } } },
                    { "id": "parse", "type": "core.json.parse" },
                    { "id": "loopA", "type": "core.noop" },
                    { "id": "loopB", "type": "core.noop" }
                  ],
                  "connections": [
                    { "from": "start.out", "to": "ghost.in" },
                    { "from": "start.out", "to": "shape.in" },
                    { "from": "shape.out", "to": "parse.in" },
                    { "from": "loopA.out", "to": "loopB.in" },
                    { "from": "loopB.out", "to": "loopA.in" }
                  ]
                }""");
        assertEquals(422, response.status(), response::toString);
        assertTrue(response.isProblem(), response::toString);
        JsonNode errors = response.json().path("errors");
        assertTrue(errors.isArray() && errors.size() >= 3, response::toString);
        String all = errors.toString();
        assertTrue(anyError(errors, "ghost", null, "nope.unknown"), () -> "unknown type named: " + all);
        assertTrue(anyError(errors, "parse", "in", "string"), () -> "incompatible ports named (parse.in, string): " + all);
        assertTrue(anyError(errors, "loopA", null, null) || anyError(errors, "loopB", null, null)
                || all.toLowerCase(Locale.ROOT).contains("cycle"), () -> "cycle reported: " + all);
        assertEquals(before, items(api.get("/api/v1/workflows").json()).size(), "an invalid workflow is not stored");
    }

    @Test
    @Order(6)
    void answersUnknownWorkflowsWith404() throws Exception {
        Api.Response get = api.get("/api/v1/workflows/no-such-workflow");
        assertEquals(404, get.status(), get::toString);
        assertTrue(get.isProblem(), get::toString);
        Api.Response run = api.post("/api/v1/workflows/no-such-workflow/executions", "{\"input\": {}, \"wait\": true}");
        assertEquals(404, run.status(), run::toString);
        assertTrue(run.isProblem(), run::toString);
    }

    // ---- hot deploy ---------------------------------------------------------------------------

    @Test
    @Order(7)
    void hotDeploysUpdatesAndRemovesAPlugin() throws Exception {
        Path deployed = qflow.plugins().resolve("greeting.jar");

        long t0 = System.nanoTime();
        drop(jar("io.qflow.example.greeting"), deployed);
        JsonNode v1 = awaitNodeType("example.greet deployed", d -> true);
        latencies.put("new JAR -> type listed", Duration.ofNanos(System.nanoTime() - t0));
        assertEquals("Hello", v1.at("/configSchema/properties/greeting/default").asText(), v1::toString);
        assertEquals("object{name:string}", port(v1.path("inputs"), "in").path("type").asText());

        Api.Response created = api.post("/api/v1/workflows", """
                {
                  "schemaVersion": 1,
                  "name": "e2e: greet",
                  "nodes": [
                    { "id": "start", "type": "core.input" },
                    { "id": "greet", "type": "example.greet" }
                  ],
                  "connections": [ { "from": "start.out", "to": "greet.in" } ]
                }""");
        assertEquals(201, created.status(), created::toString);
        greetWorkflowId = created.json().path("id").asText();
        assertEquals("Hello, Alice!", greet());

        t0 = System.nanoTime();
        drop(jar("io.qflow.fixture.greeting.v2"), deployed);
        JsonNode v2 = awaitNodeType("example.greet 0.2.0",
                d -> "Hi".equals(d.at("/configSchema/properties/greeting/default").asText()));
        latencies.put("replaced JAR -> new descriptor", Duration.ofNanos(System.nanoTime() - t0));
        assertTrue(v2.path("description").asText().contains("0.2.0"), v2::toString);
        assertEquals("Hi, Alice!", greet());

        t0 = System.nanoTime();
        Files.delete(deployed);
        await("example.greet removed", () -> api.get("/api/v1/node-types/" + GREET).status() == 404
                ? Optional.of(true) : Optional.empty());
        latencies.put("deleted JAR -> type gone", Duration.ofNanos(System.nanoTime() - t0));
        assertTrue(items(api.get("/api/v1/node-types").json()).stream().noneMatch(t -> GREET.equals(t.path("type").asText())));
    }

    @Test
    @Order(8)
    void listsBrokenPluginsWithTheirErrorsAndGoesOn() throws Exception {
        long t0 = System.nanoTime();
        drop(jar("io.qflow.fixture.broken.unresolved"), qflow.plugins().resolve("broken-unresolved.jar"));
        drop(jar("io.qflow.fixture.broken.activate"), qflow.plugins().resolve("broken-activate.jar"));
        Map<String, JsonNode> broken = await("both broken plugins listed with an error", () -> {
            Map<String, JsonNode> found = new LinkedHashMap<>();
            for (JsonNode plugin : items(api.get("/api/v1/plugins").json())) {
                String name = plugin.path("symbolicName").asText();
                if (name.startsWith("io.qflow.fixture.broken.") && !plugin.path("error").asText().isBlank()) {
                    found.put(name, plugin);
                }
            }
            return found.size() == 2 ? Optional.of(found) : Optional.empty();
        });
        latencies.put("broken JARs -> listed with errors", Duration.ofNanos(System.nanoTime() - t0));
        String unresolved = broken.get("io.qflow.fixture.broken.unresolved").path("error").asText();
        String activate = broken.get("io.qflow.fixture.broken.activate").path("error").asText();
        System.out.println("[e2e] broken-unresolved: " + unresolved);
        System.out.println("[e2e] broken-activate:   " + activate);
        assertTrue(unresolved.contains("com.example.missing"), unresolved);
        assertTrue(activate.contains("activate"), activate);

        Api.Response health = api.get("/api/v1/health");
        assertEquals("UP", health.json().path("status").asText(), health::toString);
        assertEquals("succeeded", status(api.post("/api/v1/workflows/" + workflowId + "/executions",
                "{\"input\": {\"name\": \"Bob\", \"count\": 1}, \"wait\": true}").json()));
    }

    // ---- restart ------------------------------------------------------------------------------

    @Test
    @Order(9)
    void aPluginJarNamedLikeAPlatformBundleCannotReplaceOrRemoveIt() throws Exception {
        Path platformJar;
        try (var jars = Files.list(qflow.home().resolve("bundle"))) {
            platformJar = jars.filter(p -> p.getFileName().toString().startsWith("io.qflow.node.core-")).findFirst().orElseThrow();
        }
        Path duplicate = qflow.plugins().resolve("core-copy.jar");
        Path marker = qflow.plugins().resolve("greeting.jar");
        // The marker is deployed in the same folder scan as the duplicate: once it is listed, the
        // watcher has seen the duplicate too.
        drop(platformJar, duplicate);
        drop(jar("io.qflow.example.greeting"), marker);
        awaitNodeType("marker plugin deployed next to the duplicate", d -> true);
        JsonNode refused = items(api.get("/api/v1/plugins").json()).stream()
                .filter(p -> p.path("location").asText().endsWith("/core-copy.jar")).findFirst().orElseThrow();
        assertEquals("not installed", refused.path("state").asText(), refused::toString);
        assertTrue(refused.path("error").asText().contains("already installed"), refused::toString);
        Files.delete(duplicate);
        Files.delete(marker);
        await("marker plugin removed", () -> api.get("/api/v1/node-types/" + GREET).status() == 404
                ? Optional.of(true) : Optional.empty());

        JsonNode core = items(api.get("/api/v1/plugins").json()).stream()
                .filter(p -> "io.qflow.node.core".equals(p.path("symbolicName").asText())).findFirst().orElseThrow();
        assertEquals("active", core.path("state").asText(), core::toString);
        assertFalse(core.path("plugin").asBoolean(), "the built-in nodes still come from the platform's bundle/: " + core);
        long coreTypes = items(api.get("/api/v1/node-types").json()).stream()
                .filter(t -> t.path("type").asText().startsWith("core.")).count();
        assertEquals(CORE_NODE_TYPES, coreTypes, "deleting the duplicate JAR must not remove the built-in nodes");
    }

    @Test
    @Order(10)
    void keepsWorkflowsAndHistoryAcrossARestart() throws Exception {
        long t0 = System.nanoTime();
        int exit = qflow.stop(Duration.ofSeconds(30));
        System.out.printf("[e2e] SIGTERM -> exit %d after %d ms%n", exit, Duration.ofNanos(System.nanoTime() - t0).toMillis());
        assertTrue(exit != -1, "the runtime stops on SIGTERM within 30 s");

        Duration startup = start();
        System.out.printf("[e2e] restarted on the same data folder, UP on port %d after %d ms%n", qflow.port(), startup.toMillis());

        Api.Response workflow = api.get("/api/v1/workflows/" + workflowId);
        assertEquals(200, workflow.status(), workflow::toString);
        assertEquals("e2e: input, set, noop", workflow.json().path("name").asText(), workflow::toString);
        assertEquals(3, workflow.json().path("nodes").size(), workflow::toString);

        Api.Response execution = api.get("/api/v1/executions/" + executionId);
        assertEquals(200, execution.status(), execution::toString);
        assertEquals("succeeded", status(execution.json()));
        assertEquals("Hello, Ada!", execution.json().at("/outputs/done/out/message").asText(), execution::toString);
        assertEquals(3, execution.json().path("nodes").size());

        List<JsonNode> history = items(api.get("/api/v1/executions?workflowId=" + workflowId).json());
        assertEquals(2, history.size(), () -> "both runs of the workflow survive: " + history);
        assertEquals(200, api.get("/api/v1/workflows/" + greetWorkflowId).status(), "a workflow whose plugin is gone stays stored");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Starts the process and polls health until UP; returns how long that took. */
    private Duration start() throws Exception {
        long t0 = System.nanoTime();
        qflow.start();
        api = new Api(qflow.port());
        JsonNode up = await("GET /api/v1/health = UP", STARTUP, () -> {
            if (!qflow.isAlive()) {
                throw new AssertionError("bin/qflow exited before it was UP");
            }
            try {
                Api.Response health = api.get("/api/v1/health");
                return "UP".equals(health.json().path("status").asText()) ? Optional.of(health.json()) : Optional.empty();
            } catch (ConnectException | HttpTimeoutException notYet) {
                return Optional.empty();
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (firstUp == null) {
            firstUp = up;
            coreTypesAtFirstUp = new TreeSet<>(coreTypes().stream().map(t -> t.path("type").asText()).toList());
        }
        return took;
    }

    private List<JsonNode> coreTypes() throws IOException, InterruptedException {
        return items(api.get("/api/v1/node-types").json()).stream()
                .filter(t -> t.path("type").asText().startsWith("core."))
                .toList();
    }

    private String greet() throws Exception {
        Api.Response run = api.post("/api/v1/workflows/" + greetWorkflowId + "/executions",
                "{\"input\": {\"name\": \"Alice\"}, \"wait\": true}");
        assertEquals(200, run.status(), run::toString);
        assertEquals("succeeded", status(run.json()), run::toString);
        return run.json().at("/outputs/greet/out").asText();
    }

    private JsonNode awaitNodeType(String what, java.util.function.Predicate<JsonNode> wanted) throws Exception {
        return await(what, () -> {
            Api.Response response = api.get("/api/v1/node-types/" + GREET);
            return response.status() == 200 && wanted.test(response.json()) ? Optional.of(response.json()) : Optional.empty();
        });
    }

    private Path jar(String artifactId) {
        Path jar = pluginJars.resolve(artifactId + ".jar");
        assertTrue(Files.isRegularFile(jar), () -> jar + " is missing: run through Maven (mvn verify), which copies it");
        return jar;
    }

    /** Puts a JAR into the plugins folder in one step, as an upload does, so hot deploy never sees half a file. */
    private static void drop(Path jar, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent().getParent(), "drop-", ".part");
        Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @FunctionalInterface
    private interface Probe<T> {
        Optional<T> poll() throws Exception;
    }

    private static <T> T await(String what, Probe<T> probe) throws Exception {
        return await(what, HOT_DEPLOY, probe);
    }

    private static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.poll();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    /** A list answer: a JSON array, or a page {"items": [...]} . */
    private static List<JsonNode> items(JsonNode answer) {
        JsonNode array = answer.isArray() ? answer : answer.path("items");
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static JsonNode concat(JsonNode a, JsonNode b) {
        ArrayNode all = Api.JSON.createArrayNode();
        a.forEach(all::add);
        b.forEach(all::add);
        return all;
    }

    private static JsonNode port(JsonNode ports, String name) {
        for (JsonNode port : ports) {
            if (name.equals(port.path("name").asText())) {
                return port;
            }
        }
        return MissingNode.getInstance();
    }

    private static String status(JsonNode record) {
        return record.path("status").asText().toLowerCase(Locale.ROOT);
    }

    /** Whether one entry of a problem's errors names this node (and port, and text, when given). */
    private static boolean anyError(JsonNode errors, String nodeId, String port, String text) {
        for (JsonNode error : errors) {
            boolean node = nodeId.equals(error.path("nodeId").asText()) || error.toString().contains("'" + nodeId + "'")
                    || error.toString().contains("\"" + nodeId + "\"");
            boolean portOk = port == null || port.equals(error.path("port").asText()) || error.toString().contains(port);
            boolean textOk = text == null || error.toString().contains(text);
            if (node && portOk && textOk) {
                return true;
            }
        }
        return false;
    }

    /** Prints the tail of the runtime's log when a test fails; the runtime is stopped in @AfterAll regardless. */
    static final class LogOnFailure implements TestWatcher {
        static volatile QflowProcess runtime;

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            QflowProcess process = runtime;
            if (process != null) {
                System.out.println("[e2e] " + context.getDisplayName() + " failed; last lines of the runtime log:\n"
                        + process.logTail(80));
            }
        }
    }
}

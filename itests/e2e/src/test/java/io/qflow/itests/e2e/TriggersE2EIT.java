package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triggers on the real distribution: the trigger bundles are dropped into plugins/ (hot deploy)
 * instead of booting with the triggers feature, so the test can take one away and bring it back.
 * Webhooks in each response mode, auth, unknown path, path conflict, a body over the limit; a
 * schedule that fires and shows its next fire times; a file trigger; bad config refused naming the
 * field; the activation kept across a restart; removing the webhook plugin JAR leaves the workflow
 * inactive with the reason, dropping it back makes it active again.
 */
class TriggersE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration HOT_DEPLOY = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @RegisterExtension
    final RuntimeCopies runtimes = new RuntimeCopies();
    private QflowProcess qflow;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void triggersStartRunsAndActivationsSurviveRestartsAndPluginSwaps() throws Exception {
        Path distribution = RuntimeCopies.distribution();
        qflow = runtimes.copy(temp)
                .withEnvironment("QFLOW_FEATURES", "platform,core");
        Path webhookJar = temp.resolve("io.qflow.trigger.webhook.jar");
        try (Stream<Path> bundles = Files.list(distribution.resolve("bundle"))) {
            for (Path jar : bundles.filter(p -> p.getFileName().toString().startsWith("io.qflow.trigger.")).toList()) {
                String name = jar.getFileName().toString().replaceAll("-[0-9].*\\.jar$", ".jar");
                drop(jar, qflow.plugins().resolve(name));
                if (name.equals("io.qflow.trigger.webhook.jar")) {
                    Files.copy(jar, webhookJar);
                }
            }
        }
        assertTrue(Files.isRegularFile(webhookJar), "the distribution has the webhook trigger bundle");
        Api api = Polling.startAndAwaitUp(qflow, STARTUP);
        Polling.await("the trigger types in the catalogue", HOT_DEPLOY, () ->
                api.get("/api/v1/node-types/trigger.file").status() == 200 && api.get("/api/v1/node-types/webhook.respond").status() == 200
                        ? Optional.of(true) : Optional.empty());

        // --- webhooks, each response mode
        save(api, webhook("immediate", "{\"path\": \"signup\", \"responseMode\": \"immediately\"}", false));
        save(api, webhook("last", "{\"path\": \"sum\", \"responseMode\": \"lastNode\"}", false));
        save(api, webhook("respond", "{\"path\": \"reply\", \"responseMode\": \"responseNode\"}", true));
        save(api, webhook("guarded", "{\"path\": \"guarded\", \"auth\": {\"type\": \"header\", \"header\": \"X-Token\", \"value\": \"t0ken\"},"
                + " \"maxBodyBytes\": 64}", false));
        for (String id : new String[] {"immediate", "last", "respond", "guarded"}) {
            Api.Response activated = api.post("/api/v1/workflows/" + id + "/activate", "");
            assertEquals(200, activated.status(), activated::toString);
            assertTrue(activated.json().path("active").asBoolean(), activated::toString);
        }

        HttpResponse<String> accepted = call("POST", "/webhook/signup", "{\"a\": 2, \"b\": 3, \"name\": \"alice\"}", null);
        assertEquals(202, accepted.statusCode(), accepted::body);
        String executionId = Api.parse(accepted.body()).path("executionId").asText();
        JsonNode execution = Polling.await("the webhook's execution to succeed", Duration.ofSeconds(20), () -> {
            JsonNode e = api.get("/api/v1/executions/" + executionId).json();
            return "succeeded".equals(e.path("status").asText()) ? Optional.of(e) : Optional.empty();
        });
        assertEquals("trigger.webhook", execution.path("trigger").asText());
        assertEquals("ALICE", execution.at("/outputs/calc/out/name").asText(), execution::toString);

        HttpResponse<String> last = call("POST", "/webhook/sum?x=1", "{\"a\": 2, \"b\": 3, \"name\": \"bob\"}", null);
        assertEquals(200, last.statusCode(), last::body);
        assertEquals(5, Api.parse(last.body()).path("sum").asInt(), last::body);
        assertEquals("BOB", Api.parse(last.body()).path("name").asText(), last::body);

        HttpResponse<String> replied = call("POST", "/webhook/reply", "{\"a\": 1, \"b\": 1, \"name\": \"cy\"}", null);
        assertEquals(201, replied.statusCode(), replied::body);
        assertEquals("yes", replied.headers().firstValue("X-Replied").orElse(""));
        assertEquals(2, Api.parse(replied.body()).path("sum").asInt(), replied::body);

        // --- bad input: auth, unknown path, body over the limit, wrong method
        HttpResponse<String> noToken = call("POST", "/webhook/guarded", "{}", null);
        assertProblem(noToken, 401, "guarded");
        assertProblem(call("POST", "/webhook/guarded", "{}", "wrong"), 403, "X-Token");
        assertEquals(202, call("POST", "/webhook/guarded", "{}", "t0ken").statusCode());
        assertProblem(call("POST", "/webhook/guarded", "{\"padding\": \"" + "x".repeat(100) + "\"}", "t0ken"), 413, "maxBodyBytes");
        assertProblem(call("POST", "/webhook/nobody-here", "{}", null), 404, "nobody-here");
        assertProblem(call("GET", "/webhook/sum", null, null), 405, "POST");

        // --- a path claimed by another workflow is refused at activation, naming it
        save(api, webhook("copycat", "{\"path\": \"sum\", \"responseMode\": \"lastNode\"}", false));
        Api.Response conflict = api.post("/api/v1/workflows/copycat/activate", "");
        assertEquals(409, conflict.status(), conflict::toString);
        assertTrue(conflict.isProblem() && conflict.json().path("detail").asText().contains("'last'"), conflict::toString);
        assertFalse(api.get("/api/v1/workflows/copycat/triggers").json().path("requested").asBoolean());

        // --- the editor's test URL: the inactive draft listens once on /webhook-test/{path}
        assertEquals(404, call("POST", "/webhook-test/sum", "{}", null).statusCode(), "nobody listens yet");
        Api.Response listening = api.post("/api/v1/workflows/copycat/listen", "{\"timeoutSeconds\": 60}");
        assertEquals(200, listening.status(), listening::toString);
        assertEquals("/webhook-test/sum", listening.json().at("/triggers/0/details/url").asText(), listening::toString);
        HttpResponse<String> tested = call("POST", "/webhook-test/sum", "{\"a\": 20, \"b\": 22, \"name\": \"t\"}", null);
        assertEquals(42, Api.parse(tested.body()).path("sum").asInt(), tested::body);
        Polling.await("the test listener to stop after its one event", Duration.ofSeconds(10), () ->
                call("POST", "/webhook-test/sum", "{}", null).statusCode() == 404 ? Optional.of(true) : Optional.empty());

        // --- schedule: fires every second, shows its next fire times
        save(api, """
                {"schemaVersion": 1, "id": "tick", "name": "tick",
                 "nodes": [{"id": "clock", "type": "trigger.schedule", "config": {"cron": "* * * * * *"}},
                           {"id": "log", "type": "core.noop"}],
                 "connections": [{"from": "clock.scheduledTime", "to": "log.in"}]}""");
        assertEquals(200, api.post("/api/v1/workflows/tick/activate", "").status());
        JsonNode tickStatus = api.get("/api/v1/workflows/tick/triggers").json();
        assertEquals(5, tickStatus.at("/triggers/0/details/nextFireTimes").size(), tickStatus::toString);
        Instant next = Instant.parse(tickStatus.at("/triggers/0/details/nextFireTimes/0").asText());
        assertEquals(0, next.getNano(), "cron fire times are whole seconds");
        Polling.await("two scheduled runs", Duration.ofSeconds(20), () ->
                api.get("/api/v1/executions?workflowId=tick&status=succeeded").json().path("items").size() >= 2
                        ? Optional.of(true) : Optional.empty());
        assertEquals(200, api.post("/api/v1/workflows/tick/deactivate", "").status());

        // --- file watch: a new file starts a run with its path and metadata
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        save(api, """
                {"schemaVersion": 1, "id": "inbox", "name": "inbox",
                 "nodes": [{"id": "watch", "type": "trigger.file", "config": {"folder": "%s", "glob": "*.csv", "debounceMs": 100}},
                           {"id": "log", "type": "core.noop"}],
                 "connections": [{"from": "watch.path", "to": "log.in"}]}""".formatted(inbox));
        assertEquals(200, api.post("/api/v1/workflows/inbox/activate", "").status());
        Files.writeString(inbox.resolve("orders.csv"), "id\n1\n");
        JsonNode fileRun = Polling.await("the file trigger's run", Duration.ofSeconds(20), () -> {
            JsonNode items = api.get("/api/v1/executions?workflowId=inbox").json().path("items");
            return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
        });
        assertEquals(inbox.resolve("orders.csv").toString(), fileRun.at("/input/path").asText(), fileRun::toString);
        assertEquals(5, fileRun.at("/input/size").asInt(), fileRun::toString);

        // --- bad trigger config: refused at activation naming the trigger node and field
        save(api, """
                {"schemaVersion": 1, "id": "nowhere", "name": "nowhere",
                 "nodes": [{"id": "watch", "type": "trigger.file", "config": {"folder": "%s"}}], "connections": []}"""
                .formatted(temp.resolve("does-not-exist")));
        Api.Response missingFolder = api.post("/api/v1/workflows/nowhere/activate", "");
        assertEquals(422, missingFolder.status(), missingFolder::toString);
        assertEquals("/nodes/0/config/folder", missingFolder.json().at("/errors/0/field").asText(), missingFolder::toString);
        assertEquals("watch", missingFolder.json().at("/errors/0/nodeId").asText(), missingFolder::toString);
        save(api, """
                {"schemaVersion": 1, "id": "badcron", "name": "badcron",
                 "nodes": [{"id": "clock", "type": "trigger.schedule", "config": {"cron": "99 * * * *"}}], "connections": []}""");
        Api.Response badCron = api.post("/api/v1/workflows/badcron/activate", "");
        assertEquals(422, badCron.status(), badCron::toString);
        assertEquals("/nodes/0/config/cron", badCron.json().at("/errors/0/field").asText(), badCron::toString);

        // --- restart: the activations come back
        assertTrue(qflow.stop(Duration.ofSeconds(30)) != -1, "the runtime stops on SIGTERM within 30 s");
        Api again = Polling.startAndAwaitUp(qflow, STARTUP);
        Polling.await("the webhook workflow active again after the restart", HOT_DEPLOY, () ->
                again.get("/api/v1/workflows/last/triggers").json().path("active").asBoolean() ? Optional.of(true) : Optional.empty());
        assertEquals(5, Api.parse(call("POST", "/webhook/sum", "{\"a\": 4, \"b\": 1, \"name\": \"d\"}", null).body()).path("sum").asInt());
        assertFalse(again.get("/api/v1/workflows/tick/triggers").json().path("requested").asBoolean(), "deactivated stays deactivated");

        // --- the webhook plugin goes: inactive with the reason; it comes back: active again
        Files.delete(qflow.plugins().resolve("io.qflow.trigger.webhook.jar"));
        JsonNode gone = Polling.await("the workflow inactive once its trigger plugin is gone", HOT_DEPLOY, () -> {
            JsonNode status = again.get("/api/v1/workflows/last/triggers").json();
            return status.path("active").asBoolean() ? Optional.empty() : Optional.of(status);
        });
        assertTrue(gone.path("requested").asBoolean(), gone::toString);
        assertTrue(gone.path("reason").asText().contains("trigger.webhook"), gone::toString);
        assertEquals(404, call("POST", "/webhook/sum", "{}", null).statusCode());
        drop(webhookJar, qflow.plugins().resolve("io.qflow.trigger.webhook.jar"));
        Polling.await("the workflow active again once the plugin is back", HOT_DEPLOY, () ->
                again.get("/api/v1/workflows/last/triggers").json().path("active").asBoolean() ? Optional.of(true) : Optional.empty());
        assertEquals(200, call("POST", "/webhook/sum", "{\"a\": 1, \"b\": 2, \"name\": \"e\"}", null).statusCode());
    }

    /** webhook -> core.set (sum, upper-case name) [-> webhook.respond with status 201 and a header]. */
    private static String webhook(String id, String config, boolean respond) {
        return """
                {"schemaVersion": 1, "id": "%s", "name": "%s",
                 "nodes": [{"id": "hook", "type": "trigger.webhook", "config": %s},
                           {"id": "calc", "type": "core.set", "config": {"values": {"sum": "{{ in.a + in.b }}",
                               "name": "{{ in.name.toUpperCase() }}", "processed": true}}}%s],
                 "connections": [{"from": "hook.body", "to": "calc.in"}%s]}""".formatted(id, id, config,
                respond ? ", {\"id\": \"reply\", \"type\": \"webhook.respond\", \"config\": {\"status\": 201, \"headers\": {\"X-Replied\": \"yes\"}}}" : "",
                respond ? ", {\"from\": \"calc.out\", \"to\": \"reply.in\"}" : "");
    }

    private static void save(Api api, String document) throws Exception {
        Api.Response saved = api.post("/api/v1/workflows", document);
        assertEquals(201, saved.status(), saved::toString);
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + qflow.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("X-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String mentioned) {
        assertEquals(status, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response::body);
        assertTrue(response.body().contains(mentioned), () -> "'" + mentioned + "' in " + response.body());
    }

    private static void drop(Path jar, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent().getParent(), "drop-", ".part");
        Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

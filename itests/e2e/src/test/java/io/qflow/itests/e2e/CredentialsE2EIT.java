package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials on the real distribution with its H2 file: a credential created over HTTP guards a
 * webhook through {@code {{ secrets.hookToken }}}, the right token passes and a wrong one is refused,
 * changing the credential changes what the webhook accepts, and after the runtime stopped neither
 * the database files nor the log hold the token in clear.
 */
class CredentialsE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    /** What a leak would look like: distinctive, so a match cannot be a coincidence. */
    private static final String TOKEN = "tok-E2E-7f3a9c1d5b2e8f40";
    private static final String NEW_TOKEN = "tok-E2E-rotated-0c4d7e91";

    @TempDir
    Path temp;

    @RegisterExtension
    final RuntimeCopies runtimes = new RuntimeCopies();
    private QflowProcess qflow;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aWebhookGuardedByACredentialAcceptsItsValueWhichIsNeverStoredInClear() throws Exception {
        Path data = temp.resolve("data");
        qflow = runtimes.copy(temp, data)
                .withEnvironment("QFLOW_FEATURES", "platform,core,triggers");
        Api api = Polling.startAndAwaitUp(qflow, STARTUP);
        Polling.await("trigger.webhook in the catalogue", STARTUP, () ->
                api.get("/api/v1/node-types/trigger.webhook").status() == 200 ? Optional.of(true) : Optional.empty());

        Api.Response saved = api.post("/api/v1/workflows", """
                {"schemaVersion": 1, "id": "guarded", "name": "guarded",
                 "nodes": [{"id": "hook", "type": "trigger.webhook", "config": {"path": "guarded",
                              "auth": {"type": "header", "header": "X-Token", "value": "{{ secrets.hookToken }}"}}},
                           {"id": "calc", "type": "core.set", "config": {"values": {"seen": "{{ in.n }}"}}}],
                 "connections": [{"from": "hook.body", "to": "calc.in"}]}""");
        assertEquals(201, saved.status(), saved::toString);

        // Without the credential the activation is refused, naming the node and the field.
        Api.Response refused = api.post("/api/v1/workflows/guarded/activate", "");
        assertEquals(422, refused.status(), refused::toString);
        assertTrue(refused.isProblem(), refused::toString);
        assertEquals("secret.unknown", refused.json().at("/errors/0/code").asText(), refused::toString);
        assertEquals("hook", refused.json().at("/errors/0/nodeId").asText(), refused::toString);
        assertEquals("/nodes/0/config/auth/value", refused.json().at("/errors/0/field").asText(), refused::toString);

        Api.Response put = api.put("/api/v1/credentials/hookToken", "{\"value\": \"" + TOKEN + "\"}");
        assertEquals(200, put.status(), put::toString);
        assertFalse(put.text().contains(TOKEN), put::toString);
        Api.Response listed = api.get("/api/v1/credentials");
        assertEquals("hookToken", listed.json().at("/0/name").asText(), listed::toString);
        assertFalse(listed.text().contains(TOKEN), listed::toString);

        Api.Response activated = api.post("/api/v1/workflows/guarded/activate", "");
        assertEquals(200, activated.status(), activated::toString);
        assertTrue(activated.json().path("active").asBoolean(), activated::toString);
        assertEquals(202, call(TOKEN, "{\"n\": 1}").statusCode());
        HttpResponse<String> wrong = call("not-the-token", "{\"n\": 2}");
        assertEquals(403, wrong.statusCode(), wrong::body);
        assertFalse(wrong.body().contains(TOKEN), wrong::body);
        assertEquals(401, call(null, "{\"n\": 3}").statusCode());

        // Changing the credential restarts the webhook on the new value.
        assertEquals(200, api.put("/api/v1/credentials/hookToken", "{\"value\": \"" + NEW_TOKEN + "\"}").status());
        Polling.await("the webhook to take the new token", Duration.ofSeconds(20), () ->
                call(NEW_TOKEN, "{\"n\": 4}").statusCode() == 202 ? Optional.of(true) : Optional.empty());
        assertEquals(403, call(TOKEN, "{\"n\": 5}").statusCode(), "the old token no longer opens it");

        Path key = data.resolve("secret.key");
        assertTrue(Files.isRegularFile(key), "the key file was made in the data folder");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));

        assertTrue(qflow.stop(Duration.ofSeconds(30)) != -1, "the runtime stops on SIGTERM within 30 s");
        qflow = null;
        List<Path> databases;
        try (Stream<Path> files = Files.walk(data)) { // H2 keeps its file in a folder of its own under data/
            databases = files.filter(p -> p.getFileName().toString().endsWith(".db") && Files.isRegularFile(p)).toList();
        }
        assertFalse(databases.isEmpty(), "the H2 database file is in " + data);
        for (Path db : databases) {
            String bytes = new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.contains("{{ secrets.hookToken }}"), db + " holds the workflow with its reference");
            for (String token : List.of(TOKEN, NEW_TOKEN)) {
                int at = bytes.indexOf(token);
                assertEquals(-1, at, () -> db + " holds " + token + " in clear, after: "
                        + bytes.substring(Math.max(0, at - 160), at).replaceAll("[^\\x20-\\x7e]", "."));
            }
        }
        try (Stream<Path> files = Files.walk(temp.resolve("qflow"))) {
            for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(TOKEN) || text.contains(NEW_TOKEN), log + " holds a token");
            }
        }
    }

    private HttpResponse<String> call(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + qflow.port() + "/webhook/guarded"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

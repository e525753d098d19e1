package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.trigger.WebhookEndpoints;
import io.qflow.sdk.trigger.WebhookRejection;
import io.qflow.sdk.trigger.WebhookRequest;
import io.qflow.sdk.trigger.WebhookResponse;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** /webhook/{path} dispatch over real HTTP, and the activation routes while no trigger service is there. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookRestTest {

    private final WebhookRegistry registry = new WebhookRegistry(64);
    private final AtomicReference<WebhookRequest> seen = new AtomicReference<>();
    private TestClient client;

    @BeforeAll
    void start() throws Exception {
        client = new TestClient(new FakeServices().api(RestSettings.forTests())
                .serveWebhooks(() -> Optional.of(registry)));
        registry.register("echo", Set.of("POST"), false, "wf-echo", request -> {
            seen.set(request);
            return CompletableFuture.completedFuture(new WebhookResponse(201, Map.of("X-Seen", "yes"), request.body(), "text/plain"));
        });
        registry.register("locked", Set.of(), false, "wf-locked", request -> {
            throw new WebhookRejection(401, "webhook trigger 'hook': the request lacks the header X-Token");
        });
        registry.register("echo", Set.of(), true, "wf-echo", request ->
                CompletableFuture.completedFuture(WebhookResponse.json(200, "{\"test\":true}")));
    }

    @AfterAll
    void stop() {
        client.close();
    }

    @Test
    void aRegisteredPathGetsTheRequestAndItsAnswerIsSentAsIs() {
        TestClient.Response response = client.send(HttpRequest.newBuilder(client.uri("/webhook/echo?x=1&x=2"))
                .header("Content-Type", "text/plain").header("X-Custom", "v").POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertEquals(201, response.status(), response::toString);
        assertEquals("hello", response.text());
        assertEquals("yes", response.header("X-Seen"));
        WebhookRequest request = seen.get();
        assertEquals("POST", request.method());
        assertEquals("echo", request.path());
        assertEquals("v", request.header("X-Custom"));
        assertEquals(2, request.query().get("x").size());
        assertEquals(true, client.post("/webhook-test/echo", "{}").json().get("test").asBoolean());
    }

    @Test
    void badRequestsAreProblemsNamingWhatIsWrong() {
        TestClient.Response unknown = client.post("/webhook/nothing-here", "{}");
        assertEquals(404, unknown.status());
        assertTrue(unknown.contentType().startsWith("application/problem+json"), unknown::toString);
        assertTrue(unknown.json().get("detail").asText().contains("nothing-here"), unknown::toString);

        TestClient.Response method = client.get("/webhook/echo");
        assertEquals(405, method.status(), method::toString);
        assertTrue(method.json().get("detail").asText().contains("wf-echo"), method::toString);

        TestClient.Response large = client.post("/webhook/echo", "{\"x\": \"" + "y".repeat(100) + "\"}");
        assertEquals(413, large.status(), large::toString);

        TestClient.Response rejected = client.post("/webhook/locked", "{}");
        assertEquals(401, rejected.status(), rejected::toString);
        assertTrue(rejected.json().get("detail").asText().contains("X-Token"), rejected::toString);

        assertEquals(404, client.post("/webhook-test/locked", "{}").status(), "test paths are separate");
    }

    @Test
    void onePathOneOwner() throws Exception {
        WebhookEndpoints.PathConflictException conflict = assertThrows(WebhookEndpoints.PathConflictException.class,
                () -> registry.register("echo", Set.of(), false, "wf-other", r -> null));
        assertEquals("wf-echo", conflict.owner());
        assertThrows(IllegalArgumentException.class, () -> registry.register("a/b", Set.of(), false, "wf", r -> null));
        WebhookEndpoints.Registration mine = registry.register("mine", Set.of(), false, "wf", r -> null);
        mine.close();
        assertEquals(null, registry.owner("mine", false));
    }

    @Test
    void activationRoutesAnswer503WhileNoTriggerServiceIsThere() {
        TestClient.Response response = client.post("/api/v1/workflows/x/activate", "");
        assertEquals(503, response.status(), response::toString);
        assertTrue(response.contentType().startsWith("application/problem+json"), response::toString);
        assertEquals(503, client.get("/api/v1/workflows/x/triggers").status());
    }
}

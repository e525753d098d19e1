package io.qflow.trigger.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerHandle;
import io.qflow.sdk.trigger.WebhookEndpoints;
import io.qflow.sdk.trigger.WebhookHandler;
import io.qflow.sdk.trigger.WebhookRejection;
import io.qflow.sdk.trigger.WebhookRequest;
import io.qflow.sdk.trigger.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.qflow.sdk.testkit.TriggerHarness;
import org.junit.jupiter.api.Test;

class WebhookTriggerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The REST bundle's side, in memory: one owner per path. */
    static final class Endpoints implements WebhookEndpoints {
        final Map<String, WebhookHandler> handlers = new ConcurrentHashMap<>();
        final Map<String, String> owners = new ConcurrentHashMap<>();

        @Override
        public Registration register(String path, Set<String> methods, boolean test, String owner, WebhookHandler handler)
                throws PathConflictException {
            String key = (test ? "test:" : "") + path;
            String existing = owners.putIfAbsent(key, owner);
            if (existing != null && !existing.equals(owner)) {
                throw new PathConflictException(path, existing);
            }
            handlers.put(key, handler);
            return () -> {
                handlers.remove(key);
                owners.remove(key);
            };
        }

        @Override
        public String owner(String path, boolean test) {
            return owners.get((test ? "test:" : "") + path);
        }

        @Override
        public long maxBodyBytes() {
            return 1024;
        }
    }

    private final Endpoints endpoints = new Endpoints();
    private final PendingResponses pending = new PendingResponses();
    private final WebhookTrigger trigger = new WebhookTrigger(endpoints, pending);

    private static WebhookRequest post(String contentType, String body, Map<String, List<String>> headers) {
        return new WebhookRequest("POST", "hook", false, headers, Map.of("q", List.of("1", "2")),
                body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    private static WebhookResponse answer(java.util.concurrent.CompletionStage<WebhookResponse> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonNode summary(String id, String outputs) throws Exception {
        return JSON.readTree("{\"id\": \"" + id + "\", \"status\": \"succeeded\", \"outputs\": " + outputs + ", \"error\": null}");
    }

    @Test
    void immediatelyAnswers202WithTheExecutionIdAndPassesBodyHeadersAndQuery() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "hook", "{\"path\": \"hook\"}");
        try (TriggerHandle handle = trigger.start(context)) {
            WebhookResponse response = answer(endpoints.handlers.get("hook").handle(
                    post("application/json", "{\"a\": 2}", Map.of("x-user", List.of("ada")))));
            assertEquals(202, response.status());
            assertEquals("run-1", JSON.readTree(response.body()).get("executionId").asText());
            Map<String, JsonNode> fire = context.fires().get(0);
            assertEquals(2, fire.get("body").get("a").asInt());
            assertEquals("ada", fire.get("headers").get("x-user").asText());
            assertEquals(2, fire.get("query").get("q").size());
            assertEquals("POST", fire.get("method").asText());
        }
        assertTrue(endpoints.handlers.isEmpty(), "closing frees the path");
    }

    /** Calls the handler on another thread, as the server does: waiting modes block until the run settles. */
    private static CompletableFuture<WebhookResponse> async(WebhookHandler handler, WebhookRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return handler.handle(request).toCompletableFuture().join();
            } catch (WebhookRejection e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @Test
    void lastNodeAnswersWithTheSingleSinkOutputOnceTheRunFinishes() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "hook", "{\"path\": \"hook\", \"responseMode\": \"lastNode\"}");
        try (TriggerHandle handle = trigger.start(context)) {
            CompletableFuture<WebhookResponse> answer = async(endpoints.handlers.get("hook"), post("application/json", "{}", Map.of()));
            TriggerHarness.await("the fire", 10, () -> context.fires().size() == 1);
            assertFalse(answer.isDone(), "waits for the run");
            context.completion(0).complete(summary("run-1", "{\"calc\": {\"out\": {\"sum\": 5}}}"));
            WebhookResponse response = answer(answer);
            assertEquals(200, response.status());
            assertEquals(5, JSON.readTree(response.body()).get("sum").asInt());
        }
    }

    @Test
    void responseNodeAnswersWithWhatTheRespondNodeSet() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "hook", "{\"path\": \"hook\", \"responseMode\": \"responseNode\"}");
        try (TriggerHandle handle = trigger.start(context)) {
            CompletableFuture<WebhookResponse> answer = async(endpoints.handlers.get("hook"), post("text/plain", "hi", Map.of()));
            TriggerHarness.await("the fire", 10, () -> context.fires().size() == 1);
            pending.respond("run-1", new WebhookResponse(201, Map.of("X-Done", "yes"), "made".getBytes(StandardCharsets.UTF_8), "text/plain"));
            context.completion(0).complete(summary("run-1", "{}"));
            WebhookResponse response = answer(answer);
            assertEquals(201, response.status());
            assertEquals("yes", response.headers().get("X-Done"));
            assertArrayEquals("made".getBytes(StandardCharsets.UTF_8), response.body());
            assertEquals(0, pending.size(), "the pending entry is dropped once answered");
        }
    }

    @Test
    void aRunThatFailsIsA500NamingTheExecutionAndItsError() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "hook", "{\"path\": \"hook\", \"responseMode\": \"lastNode\"}");
        try (TriggerHandle handle = trigger.start(context)) {
            CompletableFuture<WebhookResponse> answer = async(endpoints.handlers.get("hook"), post("application/json", "{}", Map.of()));
            TriggerHarness.await("the fire", 10, () -> context.fires().size() == 1);
            context.completion(0).complete(JSON.readTree(
                    "{\"id\": \"run-1\", \"status\": \"failed\", \"outputs\": {}, \"error\": {\"message\": \"boom\"}}"));
            WebhookResponse response = answer(answer);
            assertEquals(500, response.status());
            assertEquals("boom", JSON.readTree(response.body()).at("/error/message").asText());
        }
    }

    @Test
    void headerTokenAuthRefusesAMissingHeaderWith401AndAWrongOneWith403() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "hook", 
                "{\"path\": \"hook\", \"auth\": {\"type\": \"header\", \"header\": \"X-Token\", \"value\": \"s3cret\"}}");
        try (TriggerHandle handle = trigger.start(context)) {
            WebhookHandler handler = endpoints.handlers.get("hook");
            assertEquals(401, assertThrows(WebhookRejection.class, () -> handler.handle(post("text/plain", "x", Map.of()))).status());
            WebhookRejection wrong = assertThrows(WebhookRejection.class,
                    () -> handler.handle(post("text/plain", "x", Map.of("x-token", List.of("guess")))));
            assertEquals(403, wrong.status());
            assertTrue(wrong.getMessage().contains("'hook'"), wrong.getMessage());
            assertEquals(202, answer(handler.handle(post("text/plain", "x", Map.of("x-token", List.of("s3cret"), "x-user", List.of("ada")))))
                    .status());
            assertEquals(1, context.fires().size(), "only the authenticated request fired");
            JsonNode headers = context.fires().get(0).get("headers");
            assertEquals("[redacted]", headers.get("x-token").asText(), "the token does not reach the outputs (the execution record)");
            assertEquals("ada", headers.get("x-user").asText());
        }
    }

    @Test
    void hmacAuthChecksTheSignatureOfTheRawBody() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "hook", "{\"path\": \"hook\", \"auth\": {\"type\": \"hmac\", "
                + "\"header\": \"X-Hub-Signature-256\", \"prefix\": \"sha256=\", \"secret\": \"key\"}}");
        String body = "{\"event\": \"push\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        try (TriggerHandle handle = trigger.start(context)) {
            WebhookHandler handler = endpoints.handlers.get("hook");
            assertEquals(202, answer(handler.handle(post("application/json", body,
                    Map.of("x-hub-signature-256", List.of(signature))))).status());
            assertEquals(403, assertThrows(WebhookRejection.class, () -> handler.handle(post("application/json", body + " ",
                    Map.of("x-hub-signature-256", List.of(signature))))).status(), "a changed body breaks the signature");
            assertEquals(401, assertThrows(WebhookRejection.class, () -> handler.handle(post("application/json", body, Map.of())))
                    .status());
        }
    }

    @Test
    void bodiesBecomeJsonFormObjectsTextOrBase64() throws Exception {
        assertEquals("b", WebhookPayload.body(post("application/x-www-form-urlencoded", "a=b&c=1&c=2", Map.of()), JSON, "t")
                .get("a").asText());
        assertEquals(2, WebhookPayload.body(post("application/x-www-form-urlencoded", "c=1&c=2", Map.of()), JSON, "t").get("c").size());
        assertEquals("plain", WebhookPayload.body(post("text/plain", "plain", Map.of()), JSON, "t").asText());
        WebhookRequest binary = new WebhookRequest("POST", "hook", false, Map.of(), Map.of(), new byte[] {(byte) 0xff, 0, 1},
                "application/octet-stream");
        JsonNode blob = WebhookPayload.body(binary, JSON, "t");
        assertEquals(3, blob.get("size").asInt());
        assertEquals("/wAB", blob.get("base64").asText());
        WebhookRejection bad = assertThrows(WebhookRejection.class,
                () -> WebhookPayload.body(post("application/json", "{nope", Map.of()), JSON, "t"));
        assertEquals(400, bad.status());
    }

    @Test
    void aPathHeldByAnotherWorkflowIsRefusedAndBadConfigNamesTheField() throws Exception {
        TriggerHarness first = TriggerHarness.of("w", "hook", "{\"path\": \"shared\"}");
        try (TriggerHandle handle = trigger.start(first)) {
            TriggerHarness other = TriggerHarness.of("other", "hook", "{\"path\": \"shared\"}");
            WebhookEndpoints.PathConflictException conflict = assertThrows(WebhookEndpoints.PathConflictException.class,
                    () -> trigger.start(other));
            assertEquals("w", conflict.owner());
        }
        assertEquals("path", assertThrows(TriggerConfigException.class,
                () -> trigger.start(TriggerHarness.of("w", "hook", "{\"path\": \"a/b c\"}"))).field());
        assertEquals("auth/secret", assertThrows(TriggerConfigException.class,
                () -> trigger.start(TriggerHarness.of("w", "hook", "{\"path\": \"p\", \"auth\": {\"type\": \"hmac\"}}"))).field());
        assertEquals("responseMode", assertThrows(TriggerConfigException.class,
                () -> trigger.start(TriggerHarness.of("w", "hook", "{\"path\": \"p\", \"responseMode\": \"later\"}"))).field());
    }
}

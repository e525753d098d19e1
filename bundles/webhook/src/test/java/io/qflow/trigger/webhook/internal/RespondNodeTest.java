package io.qflow.trigger.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.NodeOutcome;
import io.qflow.sdk.trigger.WebhookResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespondNodeTest {

    @Test
    void setsTheResponseOfItsExecutionAndPassesItsInputOn() throws Exception {
        PendingResponses pending = new PendingResponses();
        NodeOutcome outcome = NodeHarness.of(new RespondNode(pending))
                .executionId("run-1")
                .config("{\"status\": 201, \"headers\": {\"X-Id\": \"7\"}}")
                .input("in", "{\"sum\": 5}")
                .runExpectingSuccess();
        WebhookResponse response = pending.responseOf("run-1").getNow(null);
        assertEquals(201, response.status());
        assertEquals("7", response.headers().get("X-Id"));
        assertEquals("application/json", response.contentType());
        assertEquals("{\"sum\":5}", new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(5, outcome.output("out").get("sum").asInt());
    }

    @Test
    void aTextBodyIsSentAsText() throws Exception {
        PendingResponses pending = new PendingResponses();
        NodeHarness.of(new RespondNode(pending)).executionId("run-2").config("{\"body\": \"done\"}").runExpectingSuccess();
        WebhookResponse response = pending.responseOf("run-2").getNow(null);
        assertEquals(200, response.status());
        assertEquals("text/plain; charset=utf-8", response.contentType());
    }
}

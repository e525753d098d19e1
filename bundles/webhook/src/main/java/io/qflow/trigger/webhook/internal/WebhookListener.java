package io.qflow.trigger.webhook.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.WebhookHandler;
import io.qflow.sdk.trigger.WebhookRejection;
import io.qflow.sdk.trigger.WebhookRequest;
import io.qflow.sdk.trigger.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers the requests of one started webhook trigger: checks auth, turns the request into the
 * trigger's outputs, fires (the execution is accepted and persisted before anything is answered)
 * and answers as the response mode says.
 */
final class WebhookListener implements WebhookHandler {

    private final TriggerContext context;
    private final WebhookConfig config;
    private final ObjectMapper mapper;
    private final PendingResponses pending;

    WebhookListener(TriggerContext context, WebhookConfig config, ObjectMapper mapper, PendingResponses pending) {
        this.context = context;
        this.config = config;
        this.mapper = mapper;
        this.pending = pending;
    }

    @Override
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) throws WebhookRejection {
        String trigger = context.nodeId();
        if (config.maxBodyBytes() > 0 && request.body().length > config.maxBodyBytes()) {
            throw new WebhookRejection(413, "webhook trigger '" + trigger + "': the body has " + request.body().length
                    + " bytes, more than its maxBodyBytes " + config.maxBodyBytes());
        }
        config.auth().check(request, trigger);
        Map<String, JsonNode> outputs = WebhookPayload.outputs(request, mapper, trigger, config.auth().secretHeader());
        try {
            if (config.responseMode() == WebhookConfig.ResponseMode.IMMEDIATELY) {
                return CompletableFuture.completedFuture(executionAccepted(context.fire(outputs).executionId()));
            }
            // Waiting modes answer once the run has settled and its outcome is written (one write of a
            // batched workflow instead of two); the request runs on a virtual thread, so blocking is cheap.
            JsonNode summary = context.run(outputs, Duration.ofSeconds(config.timeoutSeconds()));
            String id = summary.path("id").asText();
            if (!summary.path("status").asText().equals("succeeded") && !summary.path("status").asText().equals("failed")
                    && !summary.path("status").asText().equals("cancelled")) {
                pending.done(id);
                return CompletableFuture.completedFuture(timedOut(id, summary.path("status").asText()));
            }
            if (config.responseMode() == WebhookConfig.ResponseMode.RESPONSE_NODE) {
                WebhookResponse responded = pending.responseOf(id).getNow(null);
                pending.done(id);
                if (responded != null) {
                    return CompletableFuture.completedFuture(responded);
                }
            }
            return CompletableFuture.completedFuture(lastNodeAnswer(summary));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(problem(503, "The server is stopping; the run of workflow '"
                    + context.workflowId() + "' goes on."));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(problem(503, "The workflow '" + context.workflowId()
                    + "' cannot start a run now: " + e.getMessage()));
        }
    }

    private WebhookResponse executionAccepted(String id) {
        return WebhookResponse.json(202, "{\"executionId\":\"" + id + "\"}");
    }

    /**
     * The run's outputs as the answer: the value itself when one sink node emitted one port (what
     * a user means by "the last node's output"), else the whole outputs object. A run that did not
     * succeed is a 500 naming the execution and its error.
     */
    WebhookResponse lastNodeAnswer(JsonNode summary) {
        String status = summary.path("status").asText();
        if (!status.equals("succeeded")) {
            ObjectNode body = mapper.createObjectNode();
            body.put("executionId", summary.path("id").asText());
            body.put("status", status);
            body.set("error", summary.path("error"));
            return json(500, body);
        }
        JsonNode outputs = summary.path("outputs");
        return json(200, single(outputs));
    }

    static JsonNode single(JsonNode outputs) {
        if (outputs.size() == 1) {
            JsonNode ports = outputs.elements().next();
            if (ports.isObject() && ports.size() == 1) {
                Iterator<JsonNode> values = ports.elements();
                return values.next();
            }
        }
        return outputs;
    }

    private WebhookResponse timedOut(String id, String status) {
        ObjectNode body = mapper.createObjectNode();
        body.put("executionId", id);
        body.put("status", status);
        boolean waiting = status.equals("waiting");
        body.put("detail", waiting ? "the run waits for a decision (an approval or a form node)"
                : "the run did not finish within " + config.timeoutSeconds() + " s; it goes on");
        return json(waiting ? 202 : 504, body);
    }

    private WebhookResponse json(int status, JsonNode body) {
        try {
            return new WebhookResponse(status, Map.of(), mapper.writeValueAsBytes(body), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private WebhookResponse problem(int status, String detail) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "urn:qflow:problem:webhook");
        body.put("title", "Webhook failed");
        body.put("status", status);
        body.put("detail", detail);
        return new WebhookResponse(status, Map.of(), body.toString().getBytes(StandardCharsets.UTF_8), "application/problem+json");
    }
}

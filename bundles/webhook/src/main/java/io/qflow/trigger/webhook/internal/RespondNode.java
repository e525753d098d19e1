package io.qflow.trigger.webhook.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code webhook.respond}: answers the webhook request that started the run (trigger responseMode
 * {@code responseNode}) with a status, headers and body, as soon as it runs; the rest of the
 * workflow goes on. It passes its input on, so nodes can follow it.
 */
@Component(service = NodeType.class)
public final class RespondNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("webhook.respond")
            .name("Respond to Webhook")
            .category("Triggers")
            .description("Sets the HTTP answer of the webhook that started this run (its trigger's responseMode must be "
                    + "responseNode): status, headers and body, all of which may be expressions. Without a body, the "
                    + "input is the body. Emits its input on 'out'.")
            .icon("reply")
            .input("in", DataType.ANY, "What to answer when no body is configured", false)
            .output("out", DataType.ANY, "The input, passed on")
            .configSchemaResource(RespondNode.class, "respond.schema.json")
            .example("{\"status\": 200, \"body\": \"{{ in }}\"}")
            .example("{\"status\": 201, \"headers\": {\"Location\": \"/users/{{ in.id }}\"}, \"body\": {\"ok\": true}}")
            .build();

    private final PendingResponses pending;
    // Buffers from a shared pool: nodes and webhook calls run on new virtual threads, where the
    // default per-thread pool allocated fresh ones for every parser and generator.
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    @Activate
    public RespondNode(@Reference PendingResponses pending) {
        this.pending = pending;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Only hands its answer to the waiting request (a future): may run on the thread of a caller waiting for the outcome. */
    @Override
    public boolean nonBlocking(JsonNode config) {
        return true;
    }

    @Override
    public NodeResult execute(NodeContext context) throws Exception {
        JsonNode config = context.config();
        JsonNode input = context.input("in");
        JsonNode statusNode = config.path("status");
        int status = statusNode.isMissingNode() || statusNode.isNull() ? 200 : statusNode.asInt(-1);
        if (status < 100 || status > 599) {
            throw new NodeException("webhook.respond.status", "status must be an HTTP status 100..599, not " + statusNode);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        config.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().isTextual()
                ? h.getValue().textValue() : h.getValue().toString()));
        JsonNode body = config.has("body") ? config.get("body") : input;
        byte[] bytes;
        String contentType = headers.keySet().stream().filter(h -> h.equalsIgnoreCase("Content-Type")).findFirst()
                .map(headers::remove).orElse(null);
        if (body == null || body.isNull() || body.isMissingNode()) {
            bytes = new byte[0];
        } else if (body.isTextual()) {
            bytes = body.textValue().getBytes(StandardCharsets.UTF_8);
            contentType = contentType == null ? "text/plain; charset=utf-8" : contentType;
        } else {
            bytes = mapper.writeValueAsBytes(body);
            contentType = contentType == null ? "application/json" : contentType;
        }
        if (pending.respond(context.executionId(), new WebhookResponse(status, headers, bytes, contentType))) {
            context.log().info("answered the webhook with " + status);
        } else {
            context.log().warn("the webhook was already answered; this response is ignored");
        }
        return NodeResult.of("out", input);
    }
}

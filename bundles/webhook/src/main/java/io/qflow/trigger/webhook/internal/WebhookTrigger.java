package io.qflow.trigger.webhook.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import io.qflow.sdk.trigger.TriggerType;
import io.qflow.sdk.trigger.WebhookEndpoints;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code trigger.webhook}: an HTTP request on {@code /webhook/{path}} starts a run. The path is
 * claimed through the SDK's {@link WebhookEndpoints} (served by the REST bundle), so a second
 * workflow with the same path is refused at activation, naming the first.
 */
@Component(service = TriggerType.class)
public final class WebhookTrigger implements TriggerType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("trigger.webhook")
            .name("Webhook")
            .category("Triggers")
            .description("Starts the workflow when an HTTP request arrives on /webhook/{path}: body, headers and query "
                    + "are passed on. Answers at once (202 with the execution id), with the last node's output, or with "
                    + "what a Respond to Webhook node sets. Optional header-token or HMAC-SHA256 authentication.")
            .icon("webhook")
            .output("body", DataType.ANY, "The request body: JSON parsed, a form as an object, text as a string, "
                    + "other content as {contentType, size, base64}")
            .output("headers", DataType.OBJECT, "Request headers, lower-case names")
            .output("query", DataType.OBJECT, "Query parameters (a repeated one is an array)")
            .output("method", DataType.STRING, "The HTTP method")
            .output("path", DataType.STRING, "The webhook path")
            .configSchemaResource(WebhookTrigger.class, "webhook.schema.json")
            .example("{\"path\": \"signup\", \"method\": \"POST\", \"responseMode\": \"lastNode\"}")
            .example("{\"path\": \"github\", \"responseMode\": \"immediately\", \"auth\": {\"type\": \"hmac\", "
                    + "\"header\": \"X-Hub-Signature-256\", \"prefix\": \"sha256=\", \"secret\": \"{{ secrets.github.webhookSecret }}\"}}")
            .build();

    private final WebhookEndpoints endpoints;
    private final PendingResponses pending;
    // Buffers from a shared pool: nodes and webhook calls run on new virtual threads, where the
    // default per-thread pool allocated fresh ones for every parser and generator.
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    @Activate
    public WebhookTrigger(@Reference WebhookEndpoints endpoints, @Reference PendingResponses pending) {
        this.endpoints = endpoints;
        this.pending = pending;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public TriggerHandle start(TriggerContext context) throws Exception {
        WebhookConfig config = WebhookConfig.parse(context.config());
        WebhookListener listener = new WebhookListener(context, config, mapper, pending);
        WebhookEndpoints.Registration registration = endpoints.register(config.path(), config.methods(), context.test(),
                context.workflowId(), listener);
        ObjectNode details = mapper.createObjectNode();
        details.put("url", (context.test() ? "/webhook-test/" : "/webhook/") + config.path());
        details.put("method", config.methods().isEmpty() ? "ANY" : config.methods().iterator().next());
        details.put("responseMode", config.responseMode().json);
        return new TriggerHandle() {
            @Override
            public void close() {
                registration.close();
            }

            @Override
            public JsonNode details() {
                return details;
            }
        };
    }
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.Decision;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.WaitRequest;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code core.approval}: puts the execution in {@code waiting} until someone approves or rejects
 * (REST {@code resume} with decision {@code approve} or {@code reject}), then emits on
 * {@code approved} or {@code rejected}.
 */
@Component(service = NodeType.class)
public final class ApprovalNode implements NodeType {

    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.approval")
            .name("Approval")
            .category("Flow")
            .description("Waits for a person to approve or reject (no thread is held meanwhile); continues on "
                    + "'approved' or 'rejected'. An optional timeout applies the default decision.")
            .icon("user-check")
            .input("in", DataType.ANY, "What is to be approved (shown to the approver)", false)
            .output("approved", DataType.OBJECT, "{decision, data, input} when approved")
            .output("rejected", DataType.OBJECT, "{decision, data, input} when rejected")
            .configSchemaResource(ApprovalNode.class, "schemas/approval.json")
            .example("{\"title\": \"Publish the post?\"}")
            .example("{\"title\": \"Refund {{ in.amount }} EUR?\", \"timeoutSeconds\": 86400, \"defaultDecision\": \"reject\"}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Only computes on its inputs and config: may run on the thread of a caller waiting for the outcome. */
    @Override
    public boolean nonBlocking(JsonNode config) {
        return true;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException {
        NodeConfig config = new NodeConfig(ctx.config());
        if (ctx.decision().isEmpty()) {
            ObjectNode request = request(ctx, config, "approval", "Approval");
            return NodeResult.waiting(new WaitRequest(request, List.of(APPROVE, REJECT), timeout(config),
                    config.choice("defaultDecision", REJECT, APPROVE, REJECT)));
        }
        Decision decision = ctx.decision().get();
        ObjectNode out = Json.NODES.objectNode();
        out.put("decision", decision.decision());
        out.set("data", decision.data());
        out.set("input", Json.inputOrNull(ctx, "in"));
        return NodeResult.of(APPROVE.equals(decision.decision()) ? "approved" : "rejected", out);
    }

    /** What an approval or form asks: {@code {kind, title, description?, input}}. */
    static ObjectNode request(NodeContext ctx, NodeConfig config, String kind, String defaultTitle) throws NodeException {
        ObjectNode request = Json.NODES.objectNode();
        request.put("kind", kind);
        request.put("title", config.string("title", defaultTitle));
        String description = config.string("description", null);
        if (description != null) {
            request.put("description", description);
        }
        request.set("input", Json.inputOrNull(ctx, "in"));
        return request;
    }

    /** The {@code timeoutSeconds} of an approval or form, or null for none. */
    static Duration timeout(NodeConfig config) throws NodeException {
        return config.has("timeoutSeconds") ? Duration.ofSeconds(config.integer("timeoutSeconds", 0, 1, Long.MAX_VALUE / 1000)) : null;
    }
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/** {@code core.if}: routes the input to {@code true} or {@code false}. */
@Component(service = NodeType.class)
public final class IfNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.if")
            .name("If")
            .category("Flow")
            .description("Sends the input down the 'true' or the 'false' branch depending on a condition; "
                    + "the other branch is skipped.")
            .icon("git-branch")
            .input("in", DataType.ANY, "The value to route", true)
            .output("true", DataType.ANY, "The input, when the condition holds")
            .output("false", DataType.ANY, "The input, when the condition does not hold")
            .configSchemaResource(IfNode.class, "schemas/if.json")
            .example("{\"condition\": \"{{ in.score > 80 }}\"}")
            .example("{\"condition\": true}")
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
        JsonNode condition = config.get("condition");
        if (condition.isMissingNode()) {
            throw NodeException.permanent("config.invalid", "config 'condition' is required");
        }
        if (!condition.isBoolean()) {
            throw NodeConfig.invalid("condition", "must evaluate to true or false", condition);
        }
        return NodeResult.of(condition.booleanValue() ? "true" : "false", Json.inputOrNull(ctx, "in"));
    }
}

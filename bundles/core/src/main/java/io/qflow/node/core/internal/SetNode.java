package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** {@code core.set}: builds an object from configured values, optionally on top of the input. */
@Component(service = NodeType.class)
public final class SetNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.set")
            .name("Set")
            .category("Data")
            .description("Builds an object from values (which may be expressions), optionally "
                    + "starting from the input object and overlaying the values.")
            .icon("edit")
            .input("in", DataType.ANY, "Optional value the expressions can refer to as 'in'; the base object when keepInput is on", false)
            .output("out", DataType.OBJECT, "The object built")
            .configSchemaResource(SetNode.class, "schemas/set.json")
            .example("{\"values\": {\"greeting\": \"Hello {{ in.name }}\", \"user.id\": \"{{ in.id }}\"}}")
            .example("{\"values\": {\"status\": \"done\"}, \"keepInput\": true, \"dotNotation\": false}")
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
        ObjectNode values = config.object("values");
        boolean keepInput = config.bool("keepInput", false);
        boolean dotNotation = config.bool("dotNotation", true);

        ObjectNode out = Json.NODES.objectNode();
        if (keepInput) {
            JsonNode in = ctx.input("in");
            if (in instanceof ObjectNode object) {
                out = object.deepCopy();
            } else if (!in.isMissingNode() && !in.isNull()) {
                throw NodeException.permanent("data.invalid",
                        "keepInput needs an object on 'in' to build on, but 'in' is " + Json.describe(in));
            }
        }
        for (Map.Entry<String, JsonNode> value : values.properties()) {
            if (dotNotation) {
                DottedPath.set(out, value.getKey(), value.getValue());
            } else {
                out.set(value.getKey(), value.getValue());
            }
        }
        return NodeResult.of("out", out);
    }
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/** {@code core.json.stringify}: a value to JSON text. */
@Component(service = NodeType.class)
public final class JsonStringifyNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.json.stringify")
            .name("Stringify JSON")
            .category("Data")
            .description("Serialises a value as JSON text, compact or pretty-printed.")
            .icon("braces")
            .input("in", DataType.ANY, "The value to serialise", true)
            .output("out", DataType.STRING, "JSON text")
            .configSchemaResource(JsonStringifyNode.class, "schemas/json-stringify.json")
            .example("{}")
            .example("{\"pretty\": true}")
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
    public NodeResult execute(NodeContext ctx) throws NodeException, JsonProcessingException {
        boolean pretty = new NodeConfig(ctx.config()).bool("pretty", false);
        JsonNode value = Json.inputOrNull(ctx, "in");
        String text = pretty
                ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value)
                : Json.MAPPER.writeValueAsString(value);
        return NodeResult.of("out", Json.NODES.textNode(text));
    }
}

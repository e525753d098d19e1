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

/** {@code core.json.parse}: JSON text to a value. */
@Component(service = NodeType.class)
public final class JsonParseNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.json.parse")
            .name("Parse JSON")
            .category("Data")
            .description("Parses JSON text into a value; invalid JSON fails with the line and column of the error.")
            .icon("braces")
            .input("in", DataType.STRING, "JSON text", true)
            .output("out", DataType.ANY, "The parsed value")
            .configSchemaResource(JsonParseNode.class, "schemas/json-parse.json")
            .example("{}")
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
        String text = Json.textInput(ctx, "in");
        try {
            JsonNode value = Json.MAPPER.readTree(text);
            if (value == null || value.isMissingNode()) {
                throw NodeException.permanent("json.invalid", "invalid JSON: the text is empty");
            }
            return NodeResult.of("out", value);
        } catch (JsonProcessingException e) {
            throw new NodeException("json.invalid", "invalid JSON" + Json.where(e) + ": " + e.getOriginalMessage(), false, e);
        }
    }
}

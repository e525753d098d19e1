package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeLogger;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/** {@code core.log}: writes a line to the execution log and passes its input on. */
@Component(service = NodeType.class)
public final class LogNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.log")
            .name("Log")
            .category("Utility")
            .description("Writes a message (or the input as JSON) to the execution log, then passes the input on unchanged.")
            .icon("file-text")
            .input("in", DataType.ANY, "The value to log and pass on", false)
            .output("out", DataType.ANY, "The input, unchanged")
            .configSchemaResource(LogNode.class, "schemas/log.json")
            .example("{}")
            .example("{\"message\": \"Order {{ in.id }} received ({{ in.items.size() }} items)\", \"level\": \"info\"}")
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
        String level = config.choice("level", "info", "debug", "info", "warn", "error");
        JsonNode value = Json.inputOrNull(ctx, "in");
        JsonNode message = config.get("message");
        // the engine already evaluated the template; an expression may have produced a non-string
        String text = message.isMissingNode() ? value.toString() : Json.asText(message);
        NodeLogger log = ctx.log();
        switch (level) {
            case "debug" -> log.debug(text);
            case "warn" -> log.warn(text);
            case "error" -> log.error(text);
            default -> log.info(text);
        }
        return NodeResult.of("out", value);
    }
}

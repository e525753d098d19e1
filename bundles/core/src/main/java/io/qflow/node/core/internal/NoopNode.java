package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/** {@code core.noop}: passes its input on; a placeholder and a junction in the editor. */
@Component(service = NodeType.class)
public final class NoopNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.noop")
            .name("No operation")
            .category("Utility")
            .description("Does nothing: passes the input on unchanged. Useful as a placeholder or a junction.")
            .icon("circle")
            .input("in", DataType.ANY, "Any value", false)
            .output("out", DataType.ANY, "The input, unchanged")
            .configSchemaResource(NoopNode.class, "schemas/noop.json")
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
    public NodeResult execute(NodeContext ctx) {
        return NodeResult.of("out", Json.inputOrNull(ctx, "in"));
    }
}

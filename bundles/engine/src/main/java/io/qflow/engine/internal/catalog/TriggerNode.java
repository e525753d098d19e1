package io.qflow.engine.internal.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a trigger node runs inside an execution: the trigger already did its work when it fired, so
 * the node only emits what it fired with. A triggered run's input is the object of the trigger's
 * outputs by port ({@code {"body": ..., "headers": ..., "query": ...}}), which is also how a manual
 * run of such a workflow is given its trigger data: the REST {@code input}. Every output port emits
 * (a port the input lacks emits null), so what hangs off the trigger runs in both cases.
 */
final class TriggerNode implements NodeType {

    private final NodeDescriptor descriptor;

    TriggerNode(NodeDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    @Override
    public NodeDescriptor descriptor() {
        return descriptor;
    }

    /** Only emits what the trigger fired with: may run on the thread of a caller waiting for the outcome. */
    @Override
    public boolean nonBlocking(JsonNode config) {
        return true;
    }

    @Override
    public NodeResult execute(NodeContext context) throws Exception {
        JsonNode input = context.evaluate("{{ input }}", Map.of());
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        for (PortSpec port : descriptor.outputs()) {
            JsonNode value = input == null ? null : input.get(port.name());
            outputs.put(port.name(), value == null ? NullNode.getInstance() : value);
        }
        return NodeResult.of(outputs);
    }
}

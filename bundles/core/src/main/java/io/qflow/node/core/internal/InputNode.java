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

/** {@code core.input}: emits the run's input, with optional defaults for missing fields. */
@Component(service = NodeType.class)
public final class InputNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.input")
            .name("Input")
            .category("Input")
            .description("Starts a workflow with the run's input (the body of the run request), "
                    + "filling in default values for fields the input leaves out.")
            .icon("log-in")
            .output("out", DataType.ANY, "The run's input, merged over the defaults")
            .configSchemaResource(InputNode.class, "schemas/input.json")
            .example("{}")
            .example("{\"defaults\": {\"name\": \"world\", \"limit\": 10}}")
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
        ObjectNode defaults = new NodeConfig(ctx.config()).object("defaults");
        JsonNode input = ctx.evaluate("{{ input }}", Map.of());
        if (defaults.isEmpty()) {
            return NodeResult.of("out", input);
        }
        if (input == null || input.isNull() || input.isMissingNode()) {
            return NodeResult.of("out", defaults.deepCopy());
        }
        if (!(input instanceof ObjectNode given)) {
            // defaults are fields of an object: a scalar or array input has nothing to merge into
            return NodeResult.of("out", input);
        }
        ObjectNode merged = defaults.deepCopy();
        merged.setAll(given);
        return NodeResult.of("out", merged);
    }
}

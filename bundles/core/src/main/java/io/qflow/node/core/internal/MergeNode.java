package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code core.merge}: combines the values that arrived on {@code in1..inN}. */
@Component(service = NodeType.class)
public final class MergeNode implements NodeType {

    static final int MIN_INPUTS = 2;
    static final int MAX_INPUTS = 10;

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.merge")
            .name("Merge")
            .category("Flow")
            .description("Joins branches: waits for all of them and combines the values that arrived on in1..inN into "
                    + "an object, an array or one merged object (skipped branches are left out), or, in mode 'first', "
                    + "starts on the first value to arrive and passes it on (later ones are ignored).")
            .icon("git-merge")
            .input(inputPort(1))
            .input(inputPort(2))
            .output("out", DataType.ANY, "The combined value")
            .configSchemaResource(MergeNode.class, "schemas/merge.json")
            .example("{\"inputs\": 2, \"mode\": \"object\"}")
            .example("{\"inputs\": 3, \"mode\": \"merge\"}")
            .example("{\"inputs\": 2, \"mode\": \"first\"}")
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

    /** Mode {@code first} starts on the first arrival instead of waiting for every branch. */
    @Override
    public boolean startsOnFirstInput(JsonNode config) {
        return config != null && "first".equals(config.path("mode").asText());
    }

    @Override
    public NodePorts ports(JsonNode config) {
        JsonNode inputs = config == null ? null : config.get("inputs");
        if (inputs == null || !inputs.canConvertToExactIntegral()
                || inputs.asInt() < MIN_INPUTS || inputs.asInt() > MAX_INPUTS) {
            return DESCRIPTOR.ports();
        }
        List<PortSpec> ports = new ArrayList<>();
        for (int i = 1; i <= inputs.asInt(); i++) {
            ports.add(inputPort(i));
        }
        return new NodePorts(ports, DESCRIPTOR.outputs());
    }

    private static PortSpec inputPort(int number) {
        return PortSpec.of("in" + number, DataType.ANY, "Branch " + number);
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException {
        NodeConfig config = new NodeConfig(ctx.config());
        int count = (int) config.integer("inputs", MIN_INPUTS, MIN_INPUTS, MAX_INPUTS);
        String mode = config.choice("mode", "object", "object", "array", "merge", "first");

        List<String> arrived = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!ctx.input("in" + i).isMissingNode()) {
                arrived.add("in" + i);
            }
        }
        return switch (mode) {
            case "array" -> {
                ArrayNode out = Json.NODES.arrayNode();
                for (String port : arrived) {
                    JsonNode value = ctx.input(port);
                    if (value.isArray()) {
                        out.addAll((ArrayNode) value);
                    } else {
                        out.add(value);
                    }
                }
                yield NodeResult.of("out", out);
            }
            case "merge" -> {
                ObjectNode out = Json.NODES.objectNode();
                for (String port : arrived) {
                    JsonNode value = ctx.input(port);
                    if (value.isNull()) {
                        continue;
                    }
                    if (!(value instanceof ObjectNode object)) {
                        throw NodeException.permanent("data.invalid",
                                "mode 'merge' needs objects, but " + port + " is " + Json.describe(value));
                    }
                    out.setAll(object);
                }
                yield NodeResult.of("out", out);
            }
            case "first" -> arrived.isEmpty()
                    ? NodeResult.empty()
                    : NodeResult.of("out", ctx.input(arrived.getFirst()));
            default -> {
                ObjectNode out = Json.NODES.objectNode();
                arrived.forEach(port -> out.set(port, ctx.input(port)));
                yield NodeResult.of("out", out);
            }
        };
    }
}

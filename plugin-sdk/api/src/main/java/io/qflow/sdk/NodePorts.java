package io.qflow.sdk;

import java.util.List;
import java.util.Optional;

/**
 * The input and output ports of one node in a workflow. Usually the descriptor's ports; a node type
 * whose ports depend on its configuration (a Switch's cases, a Python function's parameters) computes
 * them in {@link NodeType#ports(com.fasterxml.jackson.databind.JsonNode)}.
 */
public record NodePorts(List<PortSpec> inputs, List<PortSpec> outputs) {

    public NodePorts {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<PortSpec> input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<PortSpec> output(String name) {
        return outputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}

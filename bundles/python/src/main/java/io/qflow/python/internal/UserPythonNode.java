package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;

/**
 * {@code python.user.<name>}: a saved Python function as a node type of its own, with the ports
 * fixed when it was saved. Its config may override the Python version, backend and limits.
 */
final class UserPythonNode implements NodeType {

    static final String PREFIX = "python.user.";

    private final SavedNode saved;
    private final NodeDescriptor descriptor;
    private final FunctionNodeRunner runner;

    UserPythonNode(SavedNode saved, FunctionNodeRunner runner) {
        this.saved = saved;
        this.runner = runner;
        NodeDescriptor.Builder b = NodeDescriptor.builder(PREFIX + saved.name())
                .version(saved.version())
                .name(saved.title())
                .category("Python")
                .description(saved.description())
                .icon("python")
                .configSchemaResource(UserPythonNode.class, "user-node.schema.json")
                .example("{}");
        saved.ports().inputs().forEach((PortSpec p) -> b.input(p));
        saved.ports().outputs().forEach((PortSpec p) -> b.output(p));
        this.descriptor = b.build();
    }

    SavedNode saved() {
        return saved;
    }

    @Override
    public NodeDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException, InterruptedException {
        ObjectNode config = saved.config().deepCopy();
        JsonNode overrides = context.config();
        for (String field : new String[] {"python", "backend", "limits"}) {
            if (overrides.hasNonNull(field)) {
                config.set(field, overrides.get(field));
            }
        }
        FunctionConfig parsed;
        try {
            parsed = FunctionConfig.parse(config, true);
        } catch (IllegalArgumentException e) {
            throw NodeException.permanent("config.invalid", descriptor.type() + " config: " + e.getMessage());
        }
        return runner.run(context, parsed);
    }
}

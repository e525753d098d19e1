package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;

/**
 * {@code python.function}: the generic Python node, code inline in its config. Its input ports are
 * the function's parameters and its output is {@code result} (or the declared {@code outputs}), found
 * by analysing the code; until the code analyses, the descriptor's ports stand.
 */
final class PythonFunctionNode implements NodeType {

    static final String TYPE = "python.function";

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE)
            .name("Python function")
            .category("Python")
            .description("Calls a Python function given inline. One input port per parameter (typed from its annotations), "
                    + "output 'result' or the declared named outputs; runs in a warm, isolated worker.")
            .icon("python")
            .output(PythonFunctions.RESULT, DataType.ANY, "What the function returns")
            .configSchemaResource(PythonFunctionNode.class, "function.schema.json")
            .example("{\"code\": \"def score(user: dict) -> int:\\n    return len(user.get('name', ''))\", \"function\": \"score\"}")
            // Python source is not a template: f"{{x}}" must reach the interpreter as written.
            .deferredConfig("code")
            .build();

    private final FunctionNodeRunner runner;
    private final PythonFunctions functions;

    PythonFunctionNode(FunctionNodeRunner runner, PythonFunctions functions) {
        this.runner = runner;
        this.functions = functions;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodePorts ports(JsonNode config) {
        try {
            FunctionConfig parsed = FunctionConfig.parse(config, true);
            return functions.prepare(parsed, MissingNode.getInstance()).ports();
        } catch (IllegalArgumentException | CallFailure e) {
            return DESCRIPTOR.ports();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DESCRIPTOR.ports();
        }
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException, InterruptedException {
        FunctionConfig config;
        try {
            config = FunctionConfig.parse(context.config(), true);
        } catch (IllegalArgumentException e) {
            throw NodeException.permanent("config.invalid", "python.function config: " + e.getMessage());
        }
        return runner.run(context, config);
    }
}

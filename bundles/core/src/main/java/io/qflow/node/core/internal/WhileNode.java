package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code core.while}: runs a sub-workflow again and again while a condition holds. The state starts
 * as the value on {@code in}; each iteration's outputs (or the value at {@code stateFrom}) become the
 * next state. The condition is evaluated before every iteration with {@code state} and
 * {@code iteration}; {@code maxIterations} bounds the loop.
 */
@Component(service = NodeType.class)
public final class WhileNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.while")
            .name("While")
            .category("Flow")
            .description("Repeats a sub-workflow while a condition on the state holds (variables 'state' and 'iteration'). "
                    + "The state starts as 'in'; each iteration's outputs (or 'stateFrom') become the next state. "
                    + "Emits the final state and the number of iterations.")
            .icon("refresh-cw")
            .input("in", DataType.ANY, "The initial state", false)
            .output("out", DataType.ANY, "The final state")
            .output("iterations", DataType.INTEGER, "How many iterations ran")
            .configSchemaResource(WhileNode.class, "schemas/while.json")
            .deferredConfig("condition", "input")
            .example("{\"workflow\": \"increment\", \"condition\": \"{{ state.n < 10 }}\", \"maxIterations\": 100, "
                    + "\"stateFrom\": \"add.out\"}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException {
        NodeConfig config = new NodeConfig(ctx.config());
        String workflow = config.requiredString("workflow");
        JsonNode condition = config.get("condition");
        if (condition.isMissingNode()) {
            throw NodeException.permanent("config.invalid", "config 'condition' is required");
        }
        if (!config.has("maxIterations")) {
            throw NodeException.permanent("config.invalid", "config 'maxIterations' is required");
        }
        int maxIterations = (int) config.integer("maxIterations", 0, 1, 10_000);
        String stateFrom = config.string("stateFrom", null);
        if (stateFrom != null && stateFrom.indexOf('.') <= 0) {
            throw NodeConfig.invalid("stateFrom", "must be 'nodeId.port'", config.get("stateFrom"));
        }
        String onLimit = config.choice("onLimit", "fail", "fail", "stop");
        Duration timeout = SubWorkflows.timeout(config);
        JsonNode template = config.get("input");

        JsonNode state = Json.inputOrNull(ctx, "in");
        int iteration = 0;
        while (holds(ctx, condition, state, iteration)) {
            if (iteration == maxIterations) {
                if (onLimit.equals("stop")) {
                    ctx.log().warn("stopped at the limit of " + maxIterations + " iterations; the condition still holds");
                    break;
                }
                throw NodeException.permanent("loop.limit", "the condition still holds after " + maxIterations
                        + " iterations (maxIterations); set onLimit: stop to emit the state reached instead");
            }
            ctx.checkCancelled();
            Map<String, JsonNode> variables = variables(state, iteration);
            JsonNode input = template.isMissingNode() ? state : ForEachNode.render(ctx, template, variables);
            JsonNode outputs = ctx.runWorkflow(workflow, input, timeout);
            if (stateFrom == null) {
                state = outputs;
            } else {
                state = SubWorkflows.at(outputs, stateFrom);
                if (state.isMissingNode()) {
                    throw NodeException.permanent("data.invalid", "iteration " + iteration + ": the sub-workflow emitted nothing on '"
                            + stateFrom + "' (stateFrom); its outputs were " + Json.describe(outputs));
                }
            }
            iteration++;
            if (maxIterations >= 20 && iteration % (maxIterations / 20) == 0) {
                ctx.progress(iteration / (double) maxIterations, iteration + " iterations");
            }
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("out", state);
        out.put("iterations", IntNode.valueOf(iteration));
        return NodeResult.of(out);
    }

    private static Map<String, JsonNode> variables(JsonNode state, int iteration) {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        variables.put("state", state);
        variables.put("iteration", IntNode.valueOf(iteration));
        return variables;
    }

    private static boolean holds(NodeContext ctx, JsonNode condition, JsonNode state, int iteration) throws NodeException {
        JsonNode value = condition.isTextual() ? ctx.evaluate(condition.textValue(), variables(state, iteration)) : condition;
        if (!value.isBoolean()) {
            throw NodeConfig.invalid("condition", "must evaluate to true or false (iteration " + iteration + ")", value);
        }
        return value.booleanValue();
    }
}

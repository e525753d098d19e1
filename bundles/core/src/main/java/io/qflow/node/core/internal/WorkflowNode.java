package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/**
 * {@code core.workflow}: runs another stored workflow as a child execution and emits its outputs
 * ({@code {"<sinkNodeId>": {"<port>": value}}}).
 */
@Component(service = NodeType.class)
public final class WorkflowNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.workflow")
            .name("Sub-workflow")
            .category("Flow")
            .description("Runs another stored workflow as a child execution (input: 'in', or the 'input' template) "
                    + "and emits its outputs, by sink node and port. Cancelling this node cancels the child.")
            .icon("workflow")
            .input("in", DataType.ANY, "The sub-workflow's input, unless 'input' is set", false)
            .output("out", DataType.OBJECT, "The sub-workflow's outputs: {\"<sinkNodeId>\": {\"<port>\": value}}")
            .configSchemaResource(WorkflowNode.class, "schemas/workflow.json")
            .example("{\"workflow\": \"enrich-customer\"}")
            .example("{\"workflow\": \"send-invoice\", \"input\": {\"customer\": \"{{ in.id }}\"}, \"timeoutSeconds\": 60}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException {
        NodeConfig config = new NodeConfig(ctx.config());
        String workflow = config.requiredString("workflow");
        JsonNode input = config.has("input") ? config.get("input") : ctx.input("in");
        JsonNode outputs = ctx.runWorkflow(workflow, input.isMissingNode() ? null : input, SubWorkflows.timeout(config));
        return NodeResult.of("out", outputs);
    }
}

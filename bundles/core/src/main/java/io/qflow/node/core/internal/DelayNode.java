package io.qflow.node.core.internal;

import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/** {@code core.delay}: waits, then passes its input on. */
@Component(service = NodeType.class)
public final class DelayNode implements NodeType {

    static final long MAX_MS = 3_600_000;

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.delay")
            .name("Delay")
            .category("Utility")
            .description("Waits for a number of milliseconds (up to one hour), then passes the input on unchanged.")
            .icon("clock")
            .input("in", DataType.ANY, "The value to pass on", false)
            .output("out", DataType.ANY, "The input, after the delay")
            .configSchemaResource(DelayNode.class, "schemas/delay.json")
            .example("{\"ms\": 1000}")
            .example("{\"ms\": \"{{ vars.backoffMs }}\"}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException, InterruptedException {
        long ms = new NodeConfig(ctx.config()).integer("ms", 1000, 0, MAX_MS);
        // sleep is interruptible: cancellation and node timeouts end the wait at once
        Thread.sleep(ms);
        return NodeResult.of("out", Json.inputOrNull(ctx, "in"));
    }
}

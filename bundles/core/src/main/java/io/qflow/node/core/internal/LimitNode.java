package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/** {@code core.limit}: keeps the first (or last) N items of an array. */
@Component(service = NodeType.class)
public final class LimitNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.limit")
            .name("Limit")
            .category("Data")
            .description("Keeps at most 'count' items of an array, from the start or from the end.")
            .icon("scissors")
            .input("in", DataType.arrayOf(DataType.ANY), "The items", true)
            .output("out", DataType.arrayOf(DataType.ANY), "At most 'count' items, in their original order")
            .configSchemaResource(LimitNode.class, "schemas/limit.json")
            .example("{\"count\": 10}")
            .example("{\"count\": 3, \"from\": \"end\"}")
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
        NodeConfig config = new NodeConfig(ctx.config());
        long count = config.integer("count", 10, 0, Integer.MAX_VALUE);
        boolean fromEnd = config.choice("from", "start", "start", "end").equals("end");
        ArrayNode items = Json.arrayInput(ctx, "in");
        int keep = (int) Math.min(count, items.size());
        int first = fromEnd ? items.size() - keep : 0;
        ArrayNode out = Json.NODES.arrayNode(keep);
        for (int i = first; i < first + keep; i++) {
            out.add(items.get(i));
        }
        return NodeResult.of("out", out);
    }
}

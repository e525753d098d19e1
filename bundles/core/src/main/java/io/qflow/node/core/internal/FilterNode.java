package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** {@code core.filter}: keeps the items of an array for which a per-item condition holds. */
@Component(service = NodeType.class)
public final class FilterNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.filter")
            .name("Filter")
            .category("Data")
            .description("Keeps the items of an array for which the condition holds; the others go to 'discarded'. "
                    + "The condition is evaluated per item, with 'item' and 'index'.")
            .icon("filter")
            .input("in", DataType.arrayOf(DataType.ANY), "The items to filter", true)
            .output("out", DataType.arrayOf(DataType.ANY), "Items for which the condition holds, in order")
            .output("discarded", DataType.arrayOf(DataType.ANY), "The other items, in order")
            .configSchemaResource(FilterNode.class, "schemas/filter.json")
            .deferredConfig("condition")
            .example("{\"condition\": \"{{ item.price > 10 }}\"}")
            .example("{\"condition\": \"{{ item.tags.contains('vip') && index < 100 }}\"}")
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
        JsonNode condition = new NodeConfig(ctx.config()).get("condition");
        if (condition.isMissingNode()) {
            throw NodeException.permanent("config.invalid", "config 'condition' is required");
        }
        if (!condition.isTextual() && !condition.isBoolean()) {
            throw NodeConfig.invalid("condition", "must be an expression or true/false", condition);
        }
        ArrayNode items = Json.arrayInput(ctx, "in");
        ArrayNode kept = Json.NODES.arrayNode();
        ArrayNode discarded = Json.NODES.arrayNode();
        for (int i = 0; i < items.size(); i++) {
            ctx.checkCancelled();
            JsonNode item = items.get(i);
            JsonNode verdict = condition.isBoolean()
                    ? condition
                    : ctx.evaluate(condition.textValue(), Map.of("item", item, "index", IntNode.valueOf(i)));
            if (!verdict.isBoolean()) {
                throw NodeException.permanent("config.invalid", "config 'condition' must evaluate to true or false, "
                        + "but for item " + i + " it gave " + Json.describe(verdict));
            }
            (verdict.booleanValue() ? kept : discarded).add(item);
        }
        return NodeResult.of(Map.of("out", kept, "discarded", discarded));
    }
}

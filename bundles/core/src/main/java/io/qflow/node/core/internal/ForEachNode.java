package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code core.foreach}: maps every item of an array through a template. The template may be a
 * string or a JSON structure whose strings hold expressions; it is evaluated per item with
 * {@code item} and {@code index}. With {@code workflow} set, each item instead runs that stored
 * workflow as a sub-workflow, up to {@code concurrency} at once, and the results keep the items' order.
 */
@Component(service = NodeType.class)
public final class ForEachNode implements NodeType {

    static final String IDENTITY = "{{ item }}";

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.foreach")
            .name("For each")
            .category("Flow")
            .description("Transforms every item of an array with a template evaluated per item "
                    + "(variables 'item' and 'index'), or runs a sub-workflow per item ('workflow', up to 'concurrency' "
                    + "at once); the results keep the items' order.")
            .icon("repeat")
            .input("in", DataType.arrayOf(DataType.ANY), "The items", true)
            .output("out", DataType.arrayOf(DataType.ANY), "One result per item, in order")
            .configSchemaResource(ForEachNode.class, "schemas/foreach.json")
            .deferredConfig("map", "input")
            .example("{\"map\": \"{{ item.name.toUpperCase() }}\"}")
            .example("{\"map\": {\"position\": \"{{ index + 1 }}\", \"label\": \"#{{ index }}: {{ item.title }}\"}}")
            .example("{\"workflow\": \"enrich-customer\", \"concurrency\": 8, \"input\": {\"id\": \"{{ item.id }}\"}}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Mapping through a template only computes; running a sub-workflow per item waits for each. */
    @Override
    public boolean nonBlocking(JsonNode config) {
        return config == null || !config.isObject() || !config.has("workflow");
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException {
        if (new NodeConfig(ctx.config()).has("workflow")) {
            return ForEachWorkflow.run(ctx, new NodeConfig(ctx.config()), Json.arrayInput(ctx, "in"));
        }
        JsonNode template = new NodeConfig(ctx.config()).get("map");
        if (template.isMissingNode()) {
            template = Json.NODES.textNode(IDENTITY);
        }
        ArrayNode items = Json.arrayInput(ctx, "in");
        ArrayNode out = Json.NODES.arrayNode(items.size());
        for (int i = 0; i < items.size(); i++) {
            ctx.checkCancelled();
            Map<String, JsonNode> variables = Map.of("item", items.get(i), "index", IntNode.valueOf(i));
            out.add(render(ctx, template, variables));
            if (items.size() >= 100 && (i + 1) % (items.size() / 20) == 0) {
                ctx.progress((i + 1) / (double) items.size(), (i + 1) + " of " + items.size() + " items");
            }
        }
        return NodeResult.of("out", out);
    }

    static JsonNode render(NodeContext ctx, JsonNode template, Map<String, JsonNode> variables) throws NodeException {
        if (template.isTextual()) {
            return ctx.evaluate(template.textValue(), variables);
        }
        if (template instanceof ObjectNode object) {
            ObjectNode out = Json.NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                out.set(field.getKey(), render(ctx, field.getValue(), variables));
            }
            return out;
        }
        if (template instanceof ArrayNode array) {
            ArrayNode out = Json.NODES.arrayNode(array.size());
            for (JsonNode element : array) {
                out.add(render(ctx, element, variables));
            }
            return out;
        }
        return template;
    }
}

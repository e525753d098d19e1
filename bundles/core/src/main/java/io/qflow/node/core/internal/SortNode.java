package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code core.sort}: a stable sort of an array by one or more fields. */
@Component(service = NodeType.class)
public final class SortNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.sort")
            .name("Sort")
            .category("Data")
            .description("Sorts an array by one or more fields (dotted paths), ascending or descending. "
                    + "Numbers sort by value, strings alphabetically; missing and null values come last. Stable.")
            .icon("sort-asc")
            .input("in", DataType.arrayOf(DataType.ANY), "The items to sort", true)
            .output("out", DataType.arrayOf(DataType.ANY), "The sorted items")
            .configSchemaResource(SortNode.class, "schemas/sort.json")
            .example("{\"by\": [{\"field\": \"price\", \"order\": \"desc\"}]}")
            .example("{\"by\": [{\"field\": \"customer.country\"}, {\"field\": \"total\", \"order\": \"desc\"}]}")
            .example("{\"by\": []}")
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
        ArrayNode by = new NodeConfig(ctx.config()).array("by");
        Comparator<JsonNode> order = (a, b) -> 0;
        if (by.isEmpty()) {
            // arrays of plain values sort by the values themselves
            order = byKey("", false);
        }
        for (int i = 0; i < by.size(); i++) {
            JsonNode key = by.get(i);
            JsonNode field = key.path("field");
            if (!field.isTextual() && !field.isMissingNode()) {
                throw NodeConfig.invalid("by[" + i + "].field", "must be a field path such as 'a.b'", field);
            }
            NodeConfig keyConfig = new NodeConfig(key);
            boolean descending = keyConfig.choice("order", "asc", "asc", "desc").equals("desc");
            order = order.thenComparing(byKey(field.asText(""), descending));
        }
        List<JsonNode> items = new ArrayList<>();
        Json.arrayInput(ctx, "in").forEach(items::add);
        items.sort(order);
        ArrayNode out = Json.NODES.arrayNode(items.size());
        out.addAll(items);
        return NodeResult.of("out", out);
    }

    /** Orders by the value at a path; absent values stay last whatever the direction. */
    private static Comparator<JsonNode> byKey(String path, boolean descending) {
        return (a, b) -> {
            JsonNode va = DottedPath.get(a, path);
            JsonNode vb = DottedPath.get(b, path);
            if (JsonOrder.isAbsent(va) || JsonOrder.isAbsent(vb)) {
                return JsonOrder.INSTANCE.compare(va, vb);
            }
            int c = JsonOrder.INSTANCE.compare(va, vb);
            return descending ? -c : c;
        };
    }
}

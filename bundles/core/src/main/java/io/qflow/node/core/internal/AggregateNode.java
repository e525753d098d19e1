package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** {@code core.aggregate}: group by fields and compute count, sum, min, max and avg per group. */
@Component(service = NodeType.class)
public final class AggregateNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.aggregate")
            .name("Aggregate")
            .category("Data")
            .description("Groups objects by fields and computes count, sum, min, max or average per group, "
                    + "like SQL GROUP BY. Missing and null values are ignored by sum, min, max and avg.")
            .icon("sigma")
            .input("in", DataType.arrayOf(DataType.OBJECT), "The objects to aggregate", true)
            .output("out", DataType.arrayOf(DataType.OBJECT), "One object per group: the group-by fields and the aggregates")
            .configSchemaResource(AggregateNode.class, "schemas/aggregate.json")
            .example("{\"groupBy\": [\"country\"], \"aggregations\": [{\"op\": \"count\", \"as\": \"orders\"},"
                    + " {\"op\": \"sum\", \"field\": \"price\", \"as\": \"revenue\"}]}")
            .example("{\"groupBy\": [], \"aggregations\": [{\"op\": \"avg\", \"field\": \"rating\", \"as\": \"averageRating\"},"
                    + " {\"op\": \"max\", \"field\": \"rating\"}]}")
            .build();

    private record Aggregation(String op, String field, String as) {
    }

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
        List<String> groupBy = new ArrayList<>();
        ArrayNode groupFields = config.array("groupBy");
        for (int i = 0; i < groupFields.size(); i++) {
            if (!groupFields.get(i).isTextual() || groupFields.get(i).textValue().isEmpty()) {
                throw NodeConfig.invalid("groupBy[" + i + "]", "must be a field path", groupFields.get(i));
            }
            groupBy.add(groupFields.get(i).textValue());
        }
        List<Aggregation> aggregations = aggregations(config.array("aggregations"));

        ArrayNode items = Json.arrayInput(ctx, "in");
        Map<List<JsonNode>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw NodeException.permanent("data.invalid", "item " + i + " must be an object but is " + Json.describe(item));
            }
            List<JsonNode> key = new ArrayList<>();
            for (String field : groupBy) {
                JsonNode value = DottedPath.get(item, field);
                key.add(value.isMissingNode() ? NullNode.getInstance() : value);
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        if (groups.isEmpty() && groupBy.isEmpty()) {
            // one group over no items still answers "how many": count 0, sum 0
            groups.put(List.of(), List.of());
        }

        ArrayNode out = Json.NODES.arrayNode();
        for (Map.Entry<List<JsonNode>, List<Integer>> group : groups.entrySet()) {
            ObjectNode row = out.addObject();
            for (int k = 0; k < groupBy.size(); k++) {
                row.set(groupBy.get(k), group.getKey().get(k));
            }
            for (Aggregation aggregation : aggregations) {
                row.set(aggregation.as(), aggregate(aggregation, items, group.getValue()));
            }
        }
        return NodeResult.of("out", out);
    }

    private static List<Aggregation> aggregations(ArrayNode config) throws NodeException {
        List<Aggregation> list = new ArrayList<>();
        for (int i = 0; i < config.size(); i++) {
            NodeConfig entry = new NodeConfig(config.get(i));
            String where = "aggregations[" + i + "]";
            if (!config.get(i).isObject()) {
                throw NodeConfig.invalid(where, "must be an object with op, field and as", config.get(i));
            }
            String op = entry.choice("op", "count", "count", "sum", "min", "max", "avg");
            String field = entry.string("field", null);
            if (field == null && !op.equals("count")) {
                throw NodeException.permanent("config.invalid", "config '" + where + ".field' is required for op '" + op + "'");
            }
            String as = entry.string("as", field == null ? op : op + "_" + field);
            list.add(new Aggregation(op, field, as));
        }
        return list;
    }

    private static JsonNode aggregate(Aggregation aggregation, ArrayNode items, List<Integer> indexes) throws NodeException {
        List<JsonNode> values = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int index : indexes) {
            JsonNode value = aggregation.field() == null ? items.get(index) : DottedPath.get(items.get(index), aggregation.field());
            if (!JsonOrder.isAbsent(value)) {
                values.add(value);
                at.add(index);
            }
        }
        return switch (aggregation.op()) {
            case "count" -> Json.NODES.numberNode(values.size());
            case "sum" -> sum(aggregation, values, at);
            case "avg" -> {
                if (values.isEmpty()) {
                    yield NullNode.getInstance();
                }
                BigDecimal total = sum(aggregation, values, at).decimalValue();
                yield Json.NODES.numberNode(total.divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL64).doubleValue());
            }
            case "min", "max" -> {
                JsonNode best = null;
                for (int i = 0; i < values.size(); i++) {
                    JsonNode value = values.get(i);
                    if (!value.isNumber() && !value.isTextual()) {
                        throw notComparable(aggregation, value, at.get(i));
                    }
                    if (best != null && best.isNumber() != value.isNumber()) {
                        throw NodeException.permanent("data.invalid", "cannot take the " + aggregation.op() + " of '"
                                + aggregation.field() + "': item " + at.get(i) + " mixes numbers and strings");
                    }
                    int c = best == null ? 0 : JsonOrder.INSTANCE.compare(value, best);
                    if (best == null || (aggregation.op().equals("min") ? c < 0 : c > 0)) {
                        best = value;
                    }
                }
                yield best == null ? NullNode.getInstance() : best;
            }
            default -> throw new IllegalStateException("unknown op " + aggregation.op());
        };
    }

    /** Integers add up exactly and stay integers; any decimal makes the sum a decimal number. */
    private static JsonNode sum(Aggregation aggregation, List<JsonNode> values, List<Integer> at) throws NodeException {
        BigInteger integers = BigInteger.ZERO;
        BigDecimal decimals = BigDecimal.ZERO;
        boolean decimal = false;
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            if (!value.isNumber()) {
                throw NodeException.permanent("data.invalid", "cannot " + aggregation.op() + " '" + aggregation.field()
                        + "': item " + at.get(i) + " has " + Json.describe(value) + ", not a number");
            }
            if (value.isIntegralNumber()) {
                integers = integers.add(value.bigIntegerValue());
            } else {
                decimal = true;
                decimals = decimals.add(value.decimalValue());
            }
        }
        if (decimal) {
            return Json.NODES.numberNode(decimals.add(new BigDecimal(integers)).doubleValue());
        }
        return integers.bitLength() < 64 ? Json.NODES.numberNode(integers.longValue()) : Json.NODES.numberNode(integers);
    }

    private static NodeException notComparable(Aggregation aggregation, JsonNode value, int index) {
        return NodeException.permanent("data.invalid", "cannot take the " + aggregation.op() + " of '" + aggregation.field()
                + "': item " + index + " has " + Json.describe(value) + ", not a number or string");
    }
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** {@code core.csv.write}: an array of objects to CSV text. */
@Component(service = NodeType.class)
public final class CsvWriteNode implements NodeType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.csv.write")
            .name("Write CSV")
            .category("Data")
            .description("Turns an array of objects into CSV text, one row per object, quoting where needed. "
                    + "Columns are the union of the objects' keys unless listed explicitly.")
            .icon("table")
            .input("in", DataType.arrayOf(DataType.OBJECT), "The rows", true)
            .output("out", DataType.STRING, "CSV text")
            .configSchemaResource(CsvWriteNode.class, "schemas/csv-write.json")
            .example("{}")
            .example("{\"columns\": [\"id\", \"name\", \"email\"], \"delimiter\": \";\"}")
            .example("{\"header\": false}")
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
    public NodeResult execute(NodeContext ctx) throws NodeException, JsonProcessingException {
        NodeConfig config = new NodeConfig(ctx.config());
        char delimiter = CsvFormat.delimiter(config);
        boolean header = config.bool("header", true);
        ArrayNode items = Json.arrayInput(ctx, "in");
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                throw NodeException.permanent("data.invalid", "row " + i + " must be an object but is " + Json.describe(items.get(i)));
            }
        }

        List<String> columns = columns(config.array("columns"), items);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(header).setColumnSeparator(delimiter);
        columns.forEach(schema::addColumn);

        List<List<String>> rows = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>(columns.size());
            for (String column : columns) {
                // nested values become JSON text in their cell; null and missing become empty cells
                row.add(Json.asText(item.get(column)));
            }
            rows.add(row);
        }
        String csv = CsvFormat.MAPPER.writer(schema.build())
                // quote only cells that need it (the default quotes more with some delimiters)
                .with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                .writeValueAsString(rows);
        return NodeResult.of("out", Json.NODES.textNode(csv));
    }

    private static List<String> columns(ArrayNode configured, ArrayNode items) throws NodeException {
        Set<String> columns = new LinkedHashSet<>();
        if (!configured.isEmpty()) {
            for (int i = 0; i < configured.size(); i++) {
                if (!configured.get(i).isTextual()) {
                    throw NodeConfig.invalid("columns[" + i + "]", "must be a column name", configured.get(i));
                }
                columns.add(configured.get(i).textValue());
            }
        } else {
            items.forEach(item -> item.fieldNames().forEachRemaining(columns::add));
        }
        return List.copyOf(columns);
    }
}

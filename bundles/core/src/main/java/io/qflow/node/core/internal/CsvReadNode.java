package io.qflow.node.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;

/** {@code core.csv.read}: CSV text to an array of objects (or of arrays, without a header). */
@Component(service = NodeType.class)
public final class CsvReadNode implements NodeType {

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.csv.read")
            .name("Read CSV")
            .category("Data")
            .description("Parses CSV text into an array of objects keyed by the header row, "
                    + "or an array of arrays when there is no header. Quoted fields may hold delimiters and line breaks.")
            .icon("table")
            .input("in", DataType.STRING, "CSV text", true)
            .output("out", DataType.arrayOf(DataType.ANY), "One object (or array) per row")
            .configSchemaResource(CsvReadNode.class, "schemas/csv-read.json")
            .example("{}")
            .example("{\"delimiter\": \";\", \"inferTypes\": true}")
            .example("{\"header\": false, \"delimiter\": \"\\\\t\"}")
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
        char delimiter = CsvFormat.delimiter(config);
        boolean header = config.bool("header", true);
        boolean inferTypes = config.bool("inferTypes", false);
        String text = Json.textInput(ctx, "in");

        ArrayNode rows = Json.NODES.arrayNode();
        try {
            if (header) {
                CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(delimiter);
                try (MappingIterator<Map<String, String>> it = CsvFormat.MAPPER
                        .readerForMapOf(String.class).with(schema).readValues(text)) {
                    while (it.hasNextValue()) {
                        ctx.checkCancelled();
                        ObjectNode row = rows.addObject();
                        it.nextValue().forEach((column, value) -> row.set(column, cell(value, inferTypes)));
                    }
                }
            } else {
                CsvSchema schema = CsvSchema.emptySchema().withoutHeader().withColumnSeparator(delimiter);
                try (MappingIterator<List<String>> it = CsvFormat.MAPPER
                        .readerForListOf(String.class).with(schema).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(text)) {
                    while (it.hasNextValue()) {
                        ctx.checkCancelled();
                        ArrayNode row = rows.addArray();
                        it.nextValue().forEach(value -> row.add(cell(value, inferTypes)));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new NodeException("csv.invalid", "invalid CSV" + Json.where(e) + ": " + e.getOriginalMessage(), false, e);
        } catch (IOException e) {
            throw new NodeException("csv.invalid", "cannot read CSV: " + e.getMessage(), false, e);
        }
        return NodeResult.of("out", rows);
    }

    /** A cell as text, or, with inferTypes, as the number or boolean it spells. */
    private static JsonNode cell(String value, boolean inferTypes) {
        if (value == null) {
            return Json.NODES.nullNode();
        }
        if (inferTypes) {
            if (value.equals("true") || value.equals("false")) {
                return Json.NODES.booleanNode(Boolean.parseBoolean(value));
            }
            if (INTEGER.matcher(value).matches()) {
                return Json.NODES.numberNode(Long.parseLong(value));
            }
            if (DECIMAL.matcher(value).matches()) {
                return Json.NODES.numberNode(new BigDecimal(value).doubleValue());
            }
        }
        return Json.NODES.textNode(value);
    }
}

package io.qflow.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON columns of an execution row cut out of the execution's JSON form (what
 * {@link io.qflow.engine.ExecutionJsonModule} writes, handed over by the engine from its outcome
 * journal): each column's text is the top-level value as it stands in the document. The values are
 * the same JSON the store would write itself, in the same form, so they read back the same; finding
 * them costs one pass of the tokenizer instead of writing the execution out a second time.
 *
 * @param input   the {@code input} value's text, or null for JSON null
 * @param outputs the {@code outputs} value's text, or null
 * @param error   the {@code error} value's text, or null
 * @param nodes   the {@code nodes} array's text, or null
 */
record ExecutionJsonColumns(String input, String outputs, String error, String nodes) {

    /**
     * @throws IllegalArgumentException if {@code json} is not a JSON object
     */
    static ExecutionJsonColumns of(JsonFactory factory, byte[] json) {
        String input = null;
        String outputs = null;
        String error = null;
        String nodes = null;
        try (JsonParser parser = factory.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("an execution's JSON form is an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "input" -> input = text(parser, value, json);
                    case "outputs" -> outputs = text(parser, value, json);
                    case "error" -> error = text(parser, value, json);
                    case "nodes" -> nodes = text(parser, value, json);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not an execution's JSON form: " + e.getMessage(), e);
        }
        return new ExecutionJsonColumns(input, outputs, error, nodes);
    }

    /** The current value's text, the parser left at its last token; null for JSON null. */
    private static String text(JsonParser parser, JsonToken value, byte[] json) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        int start = (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getByteOffset();
        return new String(json, start, end - start, StandardCharsets.UTF_8);
    }
}

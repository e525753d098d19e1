package io.qflow.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.qflow.engine.spi.ExecutionRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON columns of an execution row cut out of the execution's JSON form (what
 * {@link io.qflow.engine.ExecutionJsonModule} writes, handed over by the engine from its outcome
 * journal): each column's text is the top-level value as it stands in the document. The values are
 * the same JSON the store would write itself, in the same form, so they read back the same; finding
 * them costs one pass of the tokenizer instead of writing the execution out a second time, or
 * nothing when the engine says where they are ({@link ExecutionRepository.JsonSpans}: it noted
 * their places as it wrote the JSON).
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

    /**
     * The columns where the engine says the values are: no reading of the document. The spans are
     * checked to start and end the way a JSON value does, so that spans which do not fit the
     * document are refused rather than stored as damaged columns.
     *
     * @throws IllegalArgumentException if a span is outside {@code json} or does not look like a JSON value
     */
    static ExecutionJsonColumns of(byte[] json, ExecutionRepository.JsonSpans spans) {
        return new ExecutionJsonColumns(text(json, spans.inputStart(), spans.inputEnd()),
                text(json, spans.outputsStart(), spans.outputsEnd()), text(json, spans.errorStart(), spans.errorEnd()),
                text(json, spans.nodesStart(), spans.nodesEnd()));
    }

    private static String text(byte[] json, int start, int end) {
        if (end > json.length || !startsValue(json[start]) || !endsValue(json[end - 1])) {
            throw new IllegalArgumentException("a span [" + start + ", " + end + ") is not a JSON value of the "
                    + json.length + "-byte document");
        }
        if (end - start == 4 && json[start] == 'n' && json[start + 1] == 'u' && json[start + 2] == 'l' && json[start + 3] == 'l') {
            return null;
        }
        return new String(json, start, end - start, StandardCharsets.UTF_8);
    }

    private static boolean startsValue(byte b) {
        return b == '{' || b == '[' || b == '"' || b == 'n' || b == 't' || b == 'f' || b == '-' || (b >= '0' && b <= '9');
    }

    private static boolean endsValue(byte b) {
        return b == '}' || b == ']' || b == '"' || b == 'l' || b == 'e' || (b >= '0' && b <= '9');
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

package io.qflow.sdk.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Comparator;

/** JSON parsing and comparison shared by the harnesses. */
final class TestJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * Compares numbers by value, so {@code 1}, {@code 1L} and {@code 1.0} are equal: nodes may build
     * numbers as long or double where a test writes a literal that parses as int.
     */
    static final Comparator<JsonNode> NUMERIC_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            try {
                return a.decimalValue().compareTo(b.decimalValue());
            } catch (NumberFormatException notFinite) {
                return Double.compare(a.doubleValue(), b.doubleValue());
            }
        }
        return a.equals(b) ? 0 : 1;
    };

    private TestJson() {
    }

    /** Parses JSON text; a readable {@link IllegalArgumentException} names {@code what} when it is not JSON. */
    static JsonNode parse(String json, String what) {
        if (json == null) {
            return NODES.nullNode();
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException(what + " is empty; pass JSON text such as {} or \"text\"");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON (" + e.getOriginalMessage()
                    + "); strings must be quoted: \"\\\"text\\\"\"", e);
        }
    }

    static boolean sameJson(JsonNode expected, JsonNode actual) {
        return expected.equals(NUMERIC_VALUE, actual);
    }

    static String pretty(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "<nothing>";
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;

/** The shared JSON mapper and the small input checks every node makes. */
final class Json {

    /** Thread-safe once configured; shared by every node of the bundle. */
    // Buffers from a shared pool: nodes and webhook calls run on new virtual threads, where the
    // default per-thread pool allocated fresh ones for every parser and generator.
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final int EXCERPT = 200;

    private Json() {
    }

    /** The value on a port, or JSON {@code null} when nothing arrived (a pass-through emits something). */
    static JsonNode inputOrNull(NodeContext ctx, String port) {
        JsonNode value = ctx.input(port);
        return value == null || value.isMissingNode() ? NullNode.getInstance() : value;
    }

    /** The array on a port; {@code data.invalid} naming what arrived otherwise. */
    static ArrayNode arrayInput(NodeContext ctx, String port) throws NodeException {
        JsonNode value = ctx.input(port);
        if (value instanceof ArrayNode array) {
            return array;
        }
        throw NodeException.permanent("data.invalid", "input '" + port + "' must be an array but is " + describe(value));
    }

    /** The string on a port; {@code data.invalid} naming what arrived otherwise. */
    static String textInput(NodeContext ctx, String port) throws NodeException {
        JsonNode value = ctx.input(port);
        if (value != null && value.isTextual()) {
            return value.textValue();
        }
        throw NodeException.permanent("data.invalid", "input '" + port + "' must be a string but is " + describe(value));
    }

    /** A short, bounded rendering of a value for error messages: its type and an excerpt. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing (the port received no value)";
        }
        String type = switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
        return value.isNull() ? type : type + " " + excerpt(value.toString());
    }

    /** " at line L, column C" of a parse error, or "" when the parser did not say. */
    static String where(JsonProcessingException error) {
        JsonLocation at = error.getLocation();
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
    }

    /** The text of a scalar as a user would write it; objects and arrays as compact JSON. */
    static String asText(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.NodeException;
import java.util.Arrays;
import java.util.List;

/**
 * Typed reads of a node's resolved config with the defaults of its schema. The engine validates
 * config against the schema before a run, but expressions may still produce a value of the wrong
 * type, so every read checks and fails with {@code config.invalid} naming the field and the value.
 */
final class NodeConfig {

    private final JsonNode config;

    NodeConfig(JsonNode config) {
        this.config = config == null ? Json.NODES.objectNode() : config;
    }

    JsonNode raw() {
        return config;
    }

    /** The field's value, or a MissingNode; a JSON null counts as absent. */
    JsonNode get(String field) {
        JsonNode value = config.path(field);
        return value.isNull() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : value;
    }

    boolean has(String field) {
        return !get(field).isMissingNode();
    }

    boolean bool(String field, boolean fallback) throws NodeException {
        JsonNode value = get(field);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid(field, "must be true or false", value);
        }
        return value.booleanValue();
    }

    long integer(String field, long fallback, long min, long max) throws NodeException {
        JsonNode value = get(field);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.isIntegralNumber() && !(value.isNumber() && value.canConvertToExactIntegral())) {
            throw invalid(field, "must be an integer", value);
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw invalid(field, "must be between " + min + " and " + max, value);
        }
        return value.longValue();
    }

    String string(String field, String fallback) throws NodeException {
        JsonNode value = get(field);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw invalid(field, "must be a string", value);
        }
        return value.textValue();
    }

    String requiredString(String field) throws NodeException {
        String value = string(field, null);
        if (value == null || value.isBlank()) {
            throw NodeException.permanent("config.invalid", "config '" + field + "' is required");
        }
        return value;
    }

    /** One of the allowed strings (case-sensitive, as in the schema's enum). */
    String choice(String field, String fallback, String... allowed) throws NodeException {
        String value = string(field, fallback);
        if (!Arrays.asList(allowed).contains(value)) {
            throw invalid(field, "must be one of " + List.of(allowed), get(field));
        }
        return value;
    }

    ObjectNode object(String field) throws NodeException {
        JsonNode value = get(field);
        if (value.isMissingNode()) {
            return Json.NODES.objectNode();
        }
        if (!(value instanceof ObjectNode object)) {
            throw invalid(field, "must be an object", value);
        }
        return object;
    }

    ArrayNode array(String field) throws NodeException {
        JsonNode value = get(field);
        if (value.isMissingNode()) {
            return Json.NODES.arrayNode();
        }
        if (!(value instanceof ArrayNode array)) {
            throw invalid(field, "must be an array", value);
        }
        return array;
    }

    static NodeException invalid(String field, String rule, JsonNode value) {
        return NodeException.permanent("config.invalid", "config '" + field + "' " + rule + " but is " + Json.describe(value));
    }
}

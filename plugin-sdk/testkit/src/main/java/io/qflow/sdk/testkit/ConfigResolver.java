package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qflow.engine.ExpressionException;
import io.qflow.engine.Expressions;
import io.qflow.engine.Engine;
import io.qflow.sdk.NodeException;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates {@code {{ }}} expressions in a node's config the way the engine does before it calls
 * {@code execute}: every string anywhere in the tree, except the top-level fields the descriptor
 * defers to the node.
 */
final class ConfigResolver {

    private static volatile Expressions shared;

    private ConfigResolver() {
    }

    /**
     * The engine's evaluator, created on first use: a config without {@code {{} never needs it, so
     * such tests do not depend on the expression library at all.
     */
    static Expressions expressions() {
        Expressions e = shared;
        if (e == null) {
            synchronized (ConfigResolver.class) {
                e = shared;
                if (e == null) {
                    e = Engine.expressions();
                    shared = e;
                }
            }
        }
        return e;
    }

    /** Evaluates one template; plain strings come back as text without touching the evaluator. */
    static JsonNode evaluate(String template, Map<String, JsonNode> variables, String where) throws NodeException {
        if (!template.contains("{{")) {
            return TextNode.valueOf(template);
        }
        try {
            JsonNode value = expressions().evaluate(template, variables);
            return value == null ? TestJson.NODES.nullNode() : value;
        } catch (ExpressionException e) {
            String expression = e.expression() == null ? template : "{{ " + e.expression() + " }}";
            throw new NodeException("expression", where + expression + ": " + e.getMessage(), false, e);
        }
    }

    static JsonNode resolve(JsonNode config, Set<String> deferred, Map<String, JsonNode> variables) throws NodeException {
        if (!(config instanceof ObjectNode object)) {
            return resolveValue(config, "", variables);
        }
        ObjectNode resolved = TestJson.NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String pointer = "/" + escape(field.getKey());
            resolved.set(field.getKey(), deferred.contains(field.getKey())
                    ? field.getValue().deepCopy()
                    : resolveValue(field.getValue(), pointer, variables));
        }
        return resolved;
    }

    private static JsonNode resolveValue(JsonNode value, String pointer, Map<String, JsonNode> variables) throws NodeException {
        if (value.isTextual()) {
            return evaluate(value.textValue(), variables, "config " + (pointer.isEmpty() ? "/" : pointer) + ": ");
        }
        if (value instanceof ObjectNode object) {
            ObjectNode copy = TestJson.NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(field.getKey(), resolveValue(field.getValue(), pointer + "/" + escape(field.getKey()), variables));
            }
            return copy;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = TestJson.NODES.arrayNode(array.size());
            for (int i = 0; i < array.size(); i++) {
                copy.add(resolveValue(array.get(i), pointer + "/" + i, variables));
            }
            return copy;
        }
        return value.deepCopy();
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}

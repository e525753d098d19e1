package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
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
            return config.deepCopy();
        }
        if (!containsTemplate(object)) {
            return object.deepCopy(); // a config without {{ never needs the expression library
        }
        try {
            return Engine.resolveConfig(expressions(), object.deepCopy(), deferred, variables);
        } catch (ExpressionException e) {
            throw new NodeException("expression", e.getMessage(), false, e);
        }
    }

    private static boolean containsTemplate(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue().contains("{{");
        }
        for (JsonNode child : value) {
            if (containsTemplate(child)) {
                return true;
            }
        }
        return false;
    }
}

package io.qflow.engine.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ExpressionException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates every {@code {{ }}} string of a node's config, at any depth, leaving the node's
 * deferred top-level fields as written. One walker for the engine and the SDK test kit, so a node
 * sees the same config in a unit test as in the runtime. A failure names the field (JSON pointer).
 */
public final class ConfigTemplates {

    /** Evaluates one template string (only called for strings that contain one). */
    @FunctionalInterface
    public interface Evaluator {
        JsonNode evaluate(String template) throws ExpressionException;
    }

    private ConfigTemplates() {
    }

    public static ObjectNode resolve(ObjectNode config, Set<String> deferred, Evaluator evaluator) throws ExpressionException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            out.set(field.getKey(), deferred.contains(field.getKey()) ? value
                    : resolveValue(value, "/" + escape(field.getKey()), evaluator));
        }
        return out;
    }

    private static JsonNode resolveValue(JsonNode value, String pointer, Evaluator evaluator) throws ExpressionException {
        if (value.isTextual()) {
            String text = value.textValue();
            if (!TemplateParser.isTemplate(text)) {
                return value;
            }
            try {
                return evaluator.evaluate(text);
            } catch (ExpressionException e) {
                throw new ExpressionException(e.expression(), "config " + pointer + ": " + e.getMessage(), e);
            }
        }
        if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.set(field.getKey(), resolveValue(field.getValue(), pointer + "/" + escape(field.getKey()), evaluator));
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(value.size());
            for (int i = 0; i < value.size(); i++) {
                out.add(resolveValue(value.get(i), pointer + "/" + i, evaluator));
            }
            return out;
        }
        return value;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}

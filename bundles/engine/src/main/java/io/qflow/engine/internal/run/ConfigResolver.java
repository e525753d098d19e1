package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ExpressionException;
import io.qflow.engine.internal.expression.JexlExpressions;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates every {@code {{ }}} string in a node's config, at any depth, leaving the node's deferred
 * top-level fields as written. Copies only what contains templates.
 */
final class ConfigResolver {

    private final JexlExpressions expressions;

    ConfigResolver(JexlExpressions expressions) {
        this.expressions = expressions;
    }

    ObjectNode resolve(ObjectNode config, Set<String> deferred, Map<String, Object> variables) throws ExpressionException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            out.set(field.getKey(), deferred.contains(field.getKey()) ? value : resolveValue(value, variables));
        }
        return out;
    }

    private JsonNode resolveValue(JsonNode value, Map<String, Object> variables) throws ExpressionException {
        if (value.isTextual()) {
            String text = value.textValue();
            return expressions.isTemplate(text) ? expressions.evaluateWith(text, variables) : value;
        }
        if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.set(field.getKey(), resolveValue(field.getValue(), variables));
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(value.size());
            for (JsonNode item : value) {
                out.add(resolveValue(item, variables));
            }
            return out;
        }
        return value;
    }
}

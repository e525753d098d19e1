package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ExpressionException;
import io.qflow.engine.internal.expression.ConfigTemplates;
import io.qflow.engine.internal.expression.JexlExpressions;
import java.util.Map;
import java.util.Set;

/** Resolves a node's config with the run's variables, already in their lazily converted Java form. */
final class ConfigResolver {

    private final JexlExpressions expressions;

    ConfigResolver(JexlExpressions expressions) {
        this.expressions = expressions;
    }

    ObjectNode resolve(ObjectNode config, Set<String> deferred, Map<String, Object> variables) throws ExpressionException {
        return ConfigTemplates.resolve(config, deferred, template -> expressions.evaluateWith(template, variables));
    }
}

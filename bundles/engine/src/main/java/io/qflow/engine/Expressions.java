package io.qflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@code {{ ... }}} expression language of workflow configs, sandboxed (no class access,
 * reflection, files, processes or network). Thread-safe.
 *
 * <p>A string that is exactly one expression ({@code "{{ input.count + 1 }}"}) evaluates to the JSON
 * value of the expression, keeping its type; a string mixing text and expressions
 * ({@code "Hello {{ input.name }}!"}) evaluates to a string. Strings without {@code {{} are returned
 * as they are.
 */
@ProviderType
public interface Expressions {

    /** Whether the string contains an expression at all. */
    boolean isTemplate(String text);

    /**
     * Evaluates a template with the given variables (top-level names such as {@code input},
     * {@code nodes}, {@code vars}, {@code item}).
     *
     * @throws ExpressionException when an expression does not parse, names an unknown variable,
     *                             reaches outside the sandbox or fails
     */
    JsonNode evaluate(String template, Map<String, JsonNode> variables) throws ExpressionException;

    /**
     * Checks a template's syntax without evaluating it.
     *
     * @return one message per invalid expression, empty when it parses
     */
    List<String> check(String template);

    /** Top-level variable names a template refers to (for validation against known variables). */
    List<String> variables(String template);
}

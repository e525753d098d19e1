package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionsTest {

    private final Expressions expressions = Engine.expressions();
    private final Map<String, JsonNode> vars = Map.of(
            "input", json("{'a': 2, 'b': 3, 'name': 'alice', 'items': [1, 2, 3], 'nested': {'x': {'y': true}}}"),
            "nodes", json("{'score': {'result': 85}}"));

    @Test
    void aWholeExpressionKeepsItsJsonType() throws Exception {
        assertEquals(json("5"), expressions.evaluate("{{ input.a + input.b }}", vars));
        assertEquals(json("true"), expressions.evaluate("{{ nodes.score.result > 80 }}", vars));
        assertEquals(json("[1,2,3]"), expressions.evaluate("{{ input.items }}", vars));
        assertEquals(json("{'y': true}"), expressions.evaluate("{{input.nested.x}}", vars));
        assertEquals(json("null"), expressions.evaluate("{{ input.missing }}", vars));
        assertEquals(json("'ALICE'"), expressions.evaluate("{{ input.name.toUpperCase() }}", vars));
        assertEquals(json("{'k': 1}"), expressions.evaluate("{{ {'k': 1} }}", vars));
    }

    @Test
    void fieldsNamedLikeJavaPropertiesAreTheJsonFields() throws Exception {
        Map<String, JsonNode> odd = Map.of("input", json("{'empty': 'no', 'class': 'c', 'size': 7, 'bytes': 'b', 'blank': 1}"));
        assertEquals(json("'no'"), expressions.evaluate("{{ input.empty }}", odd));
        assertEquals(json("7"), expressions.evaluate("{{ input.size }}", odd));
        assertEquals(json("'b'"), expressions.evaluate("{{ input.bytes }}", odd));
        assertEquals(json("1"), expressions.evaluate("{{ input.blank }}", odd));
        assertEquals(json("'c'"), expressions.evaluate("{{ input['class'] }}", odd));
    }

    @Test
    void mixedTextGivesAString() throws Exception {
        assertEquals(json("'Hello alice, you have 3 items'"),
                expressions.evaluate("Hello {{ input.name }}, you have {{ size(input.items) }} items", vars));
        assertEquals(json("'plain'"), expressions.evaluate("plain", vars));
    }

    @Test
    void divisionIsNotTruncated() throws Exception {
        assertEquals(3.5, expressions.evaluate("{{ 7 / 2 }}", vars).doubleValue());
        assertEquals(json("2"), expressions.evaluate("{{ 4 / 2 }}", vars));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{{ input.getClass() }}",
        "{{ ''.getClass().forName('java.lang.Runtime') }}",
        "{{ new('java.io.File', '/etc/passwd') }}",
        "{{ new('java.lang.ProcessBuilder', ['sh', '-c', 'id']).start() }}",
        "{{ 'x'.class.forName('java.lang.System').exit(1) }}",
        "{{ input.items.add(4) }}",
        "{{ while (true) { 1 } }}",
        "{{ input.a = 5 }}",
    })
    void theSandboxRefusesEscapes(String attempt) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> expressions.evaluate(attempt, vars));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void unknownVariablesAndBadSyntaxAreClearErrors() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> expressions.evaluate("{{ secrets.key }}", vars));
        assertTrue(e.getMessage().contains("secrets"), e.getMessage());
        assertFalse(expressions.check("{{ input.a + }}").isEmpty());
        assertFalse(expressions.check("{{ input.a").isEmpty());
        assertTrue(expressions.check("{{ input.a + 1 }} and {{ input.b }}").isEmpty());
        assertEquals(List.of("input", "nodes"), expressions.variables("{{ input.a }} {{ nodes.x.out }}"));
    }
}

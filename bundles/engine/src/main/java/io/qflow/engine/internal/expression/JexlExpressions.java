package io.qflow.engine.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qflow.engine.ExpressionException;
import io.qflow.engine.Expressions;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * {@link Expressions} on Apache Commons JEXL 3, locked down by {@link SandboxPermissions} (no
 * reflection, class loading, I/O, processes, threads or network, no {@code getClass}), no
 * {@code new}, no loops (an expression cannot spin forever), no assignments, no pragmas.
 * Strict: an unknown variable is an error, not a silent null.
 */
public final class JexlExpressions implements Expressions {

    private static final int CACHE_LIMIT = 4096;
    private final JexlEngine jexl;
    private final ObjectMapper json;
    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    public JexlExpressions(ObjectMapper json) {
        this.json = json;
        JexlFeatures features = new JexlFeatures()
                .loops(false)
                .newInstance(false)
                .pragma(false)
                .annotation(false)
                .sideEffect(false)
                .sideEffectGlobal(false)
                .importPragma(false)
                .namespacePragma(false);
        this.jexl = new JexlBuilder()
                .permissions(new SandboxPermissions())
                // JSON objects are maps: a.b is the field b, never a Java bean property of the map
                // (JEXL's default tried getB()/isB() first, so {{ in.empty }} was the map's
                // isEmpty(), not the field "empty"; and it looked for those getters every time)
                .strategy(JexlUberspect.MAP_STRATEGY)
                .features(features)
                .arithmetic(new FriendlyArithmetic())
                .strict(true)
                .safe(false)
                .silent(false)
                .cache(1024)
                .create();
    }

    @Override
    public boolean isTemplate(String text) {
        return TemplateParser.isTemplate(text);
    }

    @Override
    public JsonNode evaluate(String template, Map<String, JsonNode> variables) throws ExpressionException {
        Map<String, Object> javaVariables = new HashMap<>();
        variables.forEach((name, value) -> javaVariables.put(name, JsonViews.toJava(value)));
        return evaluateWith(template, javaVariables);
    }

    /**
     * Evaluates with variables already in Java form (values from {@link #view(JsonNode)} or plain
     * Java values); the engine uses it to share one lazily converted {@code nodes} view.
     */
    public JsonNode evaluateWith(String template, Map<String, Object> variables) throws ExpressionException {
        if (!isTemplate(template)) {
            return TextNode.valueOf(template);
        }
        Compiled compiled = compile(template);
        JexlContext context = new VariablesContext(variables);
        if (compiled.single()) {
            return toJson(run(compiled.scripts().get(0), compiled.sources().get(0), context));
        }
        StringBuilder out = new StringBuilder();
        int script = 0;
        for (TemplateParser.Part part : compiled.parts()) {
            if (!part.expression()) {
                out.append(part.text());
                continue;
            }
            Object value = run(compiled.scripts().get(script), compiled.sources().get(script), context);
            script++;
            out.append(asText(value));
        }
        return TextNode.valueOf(out.toString());
    }

    /** A lazily converted Java view of a JSON value, for {@link #evaluateWith}. */
    public static Object view(JsonNode value) {
        return JsonViews.toJava(value);
    }

    @Override
    public List<String> check(String template) {
        if (!isTemplate(template)) {
            return List.of();
        }
        try {
            compile(template);
            return List.of();
        } catch (ExpressionException e) {
            return List.of(e.getMessage());
        }
    }

    @Override
    public List<String> variables(String template) {
        if (!isTemplate(template)) {
            return List.of();
        }
        try {
            Set<String> names = new LinkedHashSet<>();
            for (JexlScript script : compile(template).scripts()) {
                for (List<String> path : script.getVariables()) {
                    if (!path.isEmpty()) {
                        names.add(path.get(0));
                    }
                }
            }
            return List.copyOf(names);
        } catch (ExpressionException e) {
            return List.of();
        }
    }

    private Compiled compile(String template) throws ExpressionException {
        Compiled compiled = cache.get(template);
        if (compiled != null) {
            return compiled;
        }
        List<TemplateParser.Part> parts;
        try {
            parts = TemplateParser.parse(template);
        } catch (TemplateParser.TemplateSyntaxException e) {
            throw new ExpressionException(template, e.getMessage(), e);
        }
        List<JexlScript> scripts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (TemplateParser.Part part : parts) {
            if (part.expression()) {
                try {
                    scripts.add(jexl.createScript(part.text()));
                    sources.add(part.text());
                } catch (JexlException e) {
                    throw new ExpressionException(part.text(), "invalid expression '" + part.text() + "': " + reason(e), e);
                }
            }
        }
        boolean single = parts.size() == 1 && parts.get(0).expression();
        compiled = new Compiled(parts, scripts, sources, single);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(template, compiled);
        return compiled;
    }

    private Object run(JexlScript script, String source, JexlContext context) throws ExpressionException {
        try {
            return script.execute(context);
        } catch (JexlException e) {
            throw new ExpressionException(source, "expression '" + source + "' failed: " + reason(e), e);
        } catch (UnsupportedOperationException e) {
            throw new ExpressionException(source, "expression '" + source + "' tried to modify a read-only value", e);
        } catch (RuntimeException e) {
            throw new ExpressionException(source, "expression '" + source + "' failed: " + e, e);
        }
    }

    /** JEXL messages start with a source location we do not need ("Class.method:12@1:5 ..."). */
    private static String reason(JexlException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int at = message.indexOf(' ');
        String detail = at > 0 && message.substring(0, at).contains("@") ? message.substring(at + 1) : message;
        if (e instanceof JexlException.Method || e instanceof JexlException.Property) {
            detail += " (not found, or not allowed in expressions)";
        }
        return detail;
    }

    private JsonNode toJson(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof JsonViews.ObjectView view) {
            return view.node();
        }
        if (value instanceof JsonViews.ArrayView view) {
            return view.node();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        // The usual results, as valueToTree makes them, without its round trip through a token buffer.
        if (value instanceof String text) {
            return json.getNodeFactory().textNode(text);
        }
        if (value instanceof Integer number) {
            return json.getNodeFactory().numberNode(number);
        }
        if (value instanceof Long number) {
            return json.getNodeFactory().numberNode(number);
        }
        if (value instanceof Boolean bool) {
            return json.getNodeFactory().booleanNode(bool);
        }
        if (value instanceof Iterable<?> iterable && !(value instanceof Collection<?>)) {
            List<Object> list = new ArrayList<>();
            iterable.forEach(list::add);
            value = list;
        }
        return json.valueToTree(value);
    }

    private String asText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return String.valueOf(value);
        }
        return toJson(value).toString();
    }

    private record Compiled(List<TemplateParser.Part> parts, List<JexlScript> scripts, List<String> sources, boolean single) {
    }

    /** Variables by name; strict mode asks {@link #has} so unknown names fail clearly. */
    private record VariablesContext(Map<String, Object> variables) implements JexlContext {
        @Override
        public Object get(String name) {
            return variables.get(name);
        }

        @Override
        public void set(String name, Object value) {
            throw new UnsupportedOperationException("expressions cannot assign variables");
        }

        @Override
        public boolean has(String name) {
            return variables.containsKey(name);
        }
    }

    /**
     * Division as users of n8n and spreadsheets expect: {@code 7 / 2} is 3.5, not 3. The rest is
     * JEXL's strict arithmetic.
     */
    static final class FriendlyArithmetic extends JexlArithmetic {
        FriendlyArithmetic() {
            super(true, MathContext.DECIMAL128, 10);
        }

        @Override
        public Object divide(Object left, Object right) {
            if (isIntegral(left) && isIntegral(right)) {
                long divisor = ((Number) right).longValue();
                long dividend = ((Number) left).longValue();
                if (divisor != 0 && dividend % divisor != 0) {
                    return (double) dividend / divisor;
                }
            }
            return super.divide(left, right);
        }

        private static boolean isIntegral(Object value) {
            return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                    || (value instanceof BigInteger big && big.bitLength() < 63);
        }
    }
}

package io.qflow.engine.internal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Validates node configs against their descriptors' JSON Schemas (2020-12) with the networknt
 * validator. Compiled schemas are cached per schema object, so an updated plugin's new descriptor
 * gets a fresh compile and the old one is dropped with it.
 */
public final class ConfigSchemas {

    /** One schema violation: where in the config (JSON pointer), the offending value, and why. */
    public record Violation(String pointer, JsonNode value, String message) {
    }

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<ObjectNode, Schema> compiled = new WeakHashMap<>();

    /**
     * @throws IllegalArgumentException when the schema itself is broken (a plugin bug)
     */
    public List<Violation> validate(ObjectNode schema, JsonNode config) {
        Schema compiledSchema = compile(schema);
        List<Violation> violations = new ArrayList<>();
        for (Error error : compiledSchema.validate(config)) {
            String pointer = pointer(error.getInstanceLocation().toString());
            if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
                pointer = pointer + "/" + error.getProperty();
            }
            violations.add(new Violation(pointer, error.getInstanceNode(), error.getMessage()));
        }
        return violations;
    }

    private Schema compile(ObjectNode schema) {
        synchronized (compiled) {
            Schema result = compiled.get(schema);
            if (result == null) {
                try {
                    result = registry.getSchema(schema);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("invalid config schema: " + e.getMessage(), e);
                }
                compiled.put(schema, result);
            }
            return result;
        }
    }

    /** The validator writes locations as {@code $.a.b[0]}; problems use JSON pointers ({@code /a/b/0}). */
    static String pointer(String path) {
        if (path == null || path.isEmpty() || path.equals("$")) {
            return "";
        }
        String p = path.startsWith("$") ? path.substring(1) : path;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                out.append('/').append(p, i + 1, end);
                i = end;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                String key = p.substring(i + 1, end < 0 ? p.length() : end);
                if (key.length() >= 2 && (key.startsWith("'") || key.startsWith("\""))) {
                    key = key.substring(1, key.length() - 1);
                }
                out.append('/').append(key);
                i = end < 0 ? p.length() : end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}

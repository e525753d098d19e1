package io.qflow.engine.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Read-only Java views of JSON values for the expression language: objects as maps, arrays as
 * lists, scalars as Java numbers, strings and booleans. Children are converted when accessed, so a
 * large {@code nodes} object costs nothing until an expression walks into it. The views refuse
 * mutation, so an expression cannot change values other nodes see.
 */
final class JsonViews {

    private JsonViews() {
    }

    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (node.getNodeType()) {
            case OBJECT -> new ObjectView(node);
            case ARRAY -> new ArrayView(node);
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> number(node);
            case BINARY, POJO -> node.toString();
            default -> null;
        };
    }

    private static Object number(JsonNode node) {
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isLong()) {
            return node.longValue();
        }
        if (node.isBigInteger()) {
            return node.bigIntegerValue();
        }
        if (node.isBigDecimal()) {
            return node.decimalValue();
        }
        return node.doubleValue();
    }

    /** An object node seen as an unmodifiable map. */
    static final class ObjectView extends AbstractMap<String, Object> {
        private final JsonNode node;

        ObjectView(JsonNode node) {
            this.node = node;
        }

        JsonNode node() {
            return node;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String name ? toJava(node.get(name)) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && node.has(name);
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return fields.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Map.Entry<String, JsonNode> field = fields.next();
                            return new SimpleImmutableEntry<>(field.getKey(), toJava(field.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return node.size();
                }
            };
        }
    }

    /** An array node seen as an unmodifiable list. */
    static final class ArrayView extends AbstractList<Object> {
        private final JsonNode node;

        ArrayView(JsonNode node) {
            this.node = node;
        }

        JsonNode node() {
            return node;
        }

        @Override
        public Object get(int index) {
            if (index < 0 || index >= node.size()) {
                throw new IndexOutOfBoundsException("index " + index + " of an array of " + node.size());
            }
            return toJava(node.get(index));
        }

        @Override
        public int size() {
            return node.size();
        }
    }
}

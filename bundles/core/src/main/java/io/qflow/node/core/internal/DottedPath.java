package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Field paths written with dots ({@code customer.address.city}), as users type them in Set, Sort and
 * Aggregate configs. A segment that is a number indexes into an array when reading.
 */
final class DottedPath {

    private DottedPath() {
    }

    /** The value at the path, or a MissingNode when any step is absent. */
    static JsonNode get(JsonNode root, String path) {
        if (path == null || path.isEmpty()) {
            return root;
        }
        JsonNode current = root;
        for (String segment : path.split("\\.", -1)) {
            if (current == null || current.isMissingNode()) {
                return MissingNode.getInstance();
            }
            if (current.isArray() && isIndex(segment)) {
                current = current.path(Integer.parseInt(segment));
            } else {
                current = current.path(segment);
            }
        }
        return current;
    }

    /** Sets the value at the path, creating (or replacing non-object) intermediate objects. */
    static void set(ObjectNode root, String path, JsonNode value) {
        String[] segments = path.split("\\.", -1);
        ObjectNode current = root;
        for (int i = 0; i < segments.length - 1; i++) {
            current = current.get(segments[i]) instanceof ObjectNode object
                    ? object
                    : current.putObject(segments[i]);
        }
        current.set(segments[segments.length - 1], value);
    }

    private static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.length() < 10 && segment.chars().allMatch(Character::isDigit);
    }
}

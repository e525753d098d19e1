package io.qflow.engine.internal.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret references in a trigger's config. A trigger config is not an expression context (it is
 * handed to the trigger type when the workflow is activated, long before any run), so only strings
 * that are exactly {@code {{ secrets.<name> }}} or {@code {{ secrets.<name>.<field> }}} are replaced,
 * by the credential's value or field with its JSON type; anything else stays as written.
 */
public final class TriggerSecrets {

    private static final Pattern REFERENCE = Pattern.compile(
            "\\{\\{\\s*secrets\\.([A-Za-z][A-Za-z0-9_-]{0,63})(?:\\.([A-Za-z_][A-Za-z0-9_-]*))?\\s*}}");

    /** A reference that cannot be resolved, at {@code field} (JSON pointer below the config, no leading slash). */
    public static final class UnresolvedSecretException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final String code;

        UnresolvedSecretException(String field, String code, String message) {
            super(message);
            this.field = field;
            this.code = code;
        }

        public String field() {
            return field;
        }

        /** {@link CredentialException#UNKNOWN} or {@link CredentialException#UNREADABLE}. */
        public String code() {
            return code;
        }
    }

    private TriggerSecrets() {
    }

    /** The credential names a config refers to. */
    public static Set<String> names(JsonNode config) {
        Set<String> names = new LinkedHashSet<>();
        collect(config, names);
        return names;
    }

    /**
     * A copy of {@code config} with every reference replaced; {@code config} itself when it has none.
     *
     * @throws UnresolvedSecretException naming the field and the credential (never a value)
     */
    public static JsonNode resolve(JsonNode config, Credentials credentials) throws UnresolvedSecretException {
        if (names(config).isEmpty()) {
            return config;
        }
        JsonNode copy = config.deepCopy();
        return replace(copy, "", credentials);
    }

    private static JsonNode replace(JsonNode node, String pointer, Credentials credentials) throws UnresolvedSecretException {
        if (node.isTextual()) {
            Matcher m = REFERENCE.matcher(node.textValue());
            return m.matches() ? lookup(m.group(1), m.group(2), pointer, credentials) : node;
        }
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(replace(field.getValue(), child(pointer, field.getKey()), credentials));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, replace(array.get(i), child(pointer, String.valueOf(i)), credentials));
            }
        }
        return node;
    }

    private static JsonNode lookup(String name, String field, String pointer, Credentials credentials) throws UnresolvedSecretException {
        JsonNode value;
        try {
            value = credentials == null ? null : credentials.value(name).orElse(null);
        } catch (CredentialException e) {
            throw new UnresolvedSecretException(pointer, e.code(), e.getMessage());
        }
        if (value == null) {
            throw new UnresolvedSecretException(pointer, CredentialException.UNKNOWN, "credential '" + name + "' does not exist");
        }
        if (field == null) {
            return value;
        }
        JsonNode part = value.get(field);
        if (part == null || part.isNull()) {
            throw new UnresolvedSecretException(pointer, CredentialException.UNKNOWN, "credential '" + name + "' has no field '"
                    + field + "'" + (value.isObject() ? "" : " (it is not an object)"));
        }
        return part;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            Matcher m = REFERENCE.matcher(node.textValue());
            if (m.matches()) {
                names.add(m.group(1));
            }
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, names));
        }
    }

    private static String child(String pointer, String name) {
        String escaped = name.replace("~", "~0").replace("/", "~1");
        return pointer.isEmpty() ? escaped : pointer + "/" + escaped;
    }
}

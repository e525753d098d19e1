package io.qflow.engine.internal.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.internal.expression.JexlExpressions;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code secrets} variable of expressions: {@code secrets.<name>} decrypts that one credential
 * when an expression reads it (once per view), so resolving a config decrypts only the credentials it
 * names. A name that does not exist fails the expression with {@link CredentialException#UNKNOWN}.
 * The view cannot be listed or serialised whole: {@code {{ secrets }}} would copy every credential
 * into a config.
 */
public final class SecretsView extends AbstractMap<String, Object> {

    private final Credentials credentials;
    /** Made on the first read: most configs name no secret, and one view is made per node run. */
    private Map<String, Object> read;

    /** @param credentials where values come from; null: none exists (an engine without a credential store) */
    public SecretsView(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        if (read == null) {
            read = new HashMap<>();
        }
        Object value = read.get(name);
        if (value == null) {
            JsonNode json = credentials == null ? null : credentials.value(name).orElse(null);
            if (json == null) {
                throw CredentialException.unknown(name);
            }
            value = JexlExpressions.view(json);
            read.put(name, value);
        }
        return value;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        throw new IllegalStateException("secrets are read one by one, by name: {{ secrets.<name> }} or {{ secrets.<name>.<field> }}");
    }

    @Override
    public String toString() {
        return "secrets";
    }
}

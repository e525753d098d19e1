package io.qflow.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A stored credential as anyone may see it: never its value.
 *
 * @param name      what {@code {{ secrets.<name> }}} refers to
 * @param updatedAt when it was last stored
 * @param fields    the top-level field names when the value is an object (what
 *                  {@code {{ secrets.<name>.<field> }}} may read), else empty
 * @since 1.4
 */
public record CredentialInfo(String name, Instant updatedAt, List<String> fields) {

    public CredentialInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(updatedAt, "updatedAt");
        fields = List.copyOf(fields);
    }
}

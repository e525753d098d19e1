package io.qflow.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Small JSON documents by collection and key, for the platform's own state beside workflows and
 * executions: saved Python nodes, workflow activations, trigger state such as a schedule's last fire
 * time. Registered as an OSGi service by the store bundle, so every bundle that keeps such state uses
 * the one configured database (H2 or PostgreSQL) rather than files of its own.
 *
 * <p>Implementations are thread-safe; every method is one transaction and is durable on return.
 * Collections and keys are short names chosen by the caller (at most 255 characters each); a
 * collection needs no declaring.
 *
 * @since 1.3
 */
@ConsumerType
public interface DocumentRepository {

    /** The document stored under {@code key}, if any. */
    Optional<JsonNode> find(String collection, String key);

    /** Every document of a collection, ordered by key. */
    List<Document> list(String collection);

    /** Inserts or replaces the document under {@code key}. */
    void put(String collection, String key, JsonNode body);

    /** Deletes the document under {@code key}; {@code false} when there was none. */
    boolean delete(String collection, String key);

    /** A stored document with the time it was last put. */
    record Document(String key, JsonNode body, Instant updatedAt) {
        public Document {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }
    }
}

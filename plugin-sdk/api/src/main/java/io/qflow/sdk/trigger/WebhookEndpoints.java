package io.qflow.sdk.trigger;

import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Webhook paths served by the platform's HTTP front (an OSGi service provided by the REST bundle):
 * {@code /webhook/{path}} for active workflows and {@code /webhook-test/{path}} for the editor's
 * test run. No HTTP server type leaks into plugins: they see only {@link WebhookRequest} and
 * {@link WebhookResponse}. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface WebhookEndpoints {

    /** A registered path; {@link #close()} frees it (idempotent). */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Claims {@code path} (no leading slash; segments of letters, digits, {@code - _ .}) for the
     * given methods (upper case; empty = any method).
     *
     * @param test  true registers under {@code /webhook-test/}, false under {@code /webhook/}
     * @param owner who claims it (a workflow id), named to whoever collides with it
     * @throws PathConflictException when another owner holds the path
     */
    Registration register(String path, Set<String> methods, boolean test, String owner, WebhookHandler handler)
            throws PathConflictException;

    /** The owner currently holding a path, or null. */
    String owner(String path, boolean test);

    /** Largest request body accepted, in bytes (bigger ones are answered 413 before a handler sees them). */
    long maxBodyBytes();

    /** A path claimed by another owner. */
    final class PathConflictException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final String owner;

        public PathConflictException(String path, String owner) {
            super("webhook path '" + path + "' is already used by workflow '" + owner + "'");
            this.path = path;
            this.owner = owner;
        }

        public String path() {
            return path;
        }

        public String owner() {
            return owner;
        }
    }
}

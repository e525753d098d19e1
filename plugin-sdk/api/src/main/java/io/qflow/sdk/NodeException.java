package io.qflow.sdk;

/**
 * An expected failure of a node, with a machine-readable code and whether trying again may help
 * (a timeout or an HTTP 503 is retryable; a 404 or bad configuration is not). Any other exception a
 * node throws is recorded with its stack trace and treated as not retryable.
 */
public class NodeException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String code;
    private final boolean retryable;

    public NodeException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code == null ? "error" : code;
        this.retryable = retryable;
    }

    public NodeException(String code, String message) {
        this(code, message, false, null);
    }

    /** A failure that will not go away by retrying. */
    public static NodeException permanent(String code, String message) {
        return new NodeException(code, message, false, null);
    }

    /** A failure worth retrying under the node's retry policy. */
    public static NodeException retryable(String code, String message, Throwable cause) {
        return new NodeException(code, message, true, cause);
    }

    /** A short machine-readable code such as {@code http.status} or {@code config.invalid}. */
    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}

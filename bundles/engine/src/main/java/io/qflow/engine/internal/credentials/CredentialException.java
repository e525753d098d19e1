package io.qflow.engine.internal.credentials;

/**
 * A credential that a config refers to cannot be used: it does not exist ({@link #UNKNOWN}) or does
 * not decrypt with this runtime's key ({@link #UNREADABLE}). The message names the credential,
 * never a value.
 */
public final class CredentialException extends RuntimeException {

    public static final String UNKNOWN = "secret.unknown";
    public static final String UNREADABLE = "secret.unreadable";
    private static final long serialVersionUID = 1L;
    private final String code;
    private final String credential;

    CredentialException(String code, String credential, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.credential = credential;
    }

    static CredentialException unknown(String name) {
        return new CredentialException(UNKNOWN, name, "credential '" + name + "' does not exist", null);
    }

    /** The credential problem behind {@code failure} (an expression that read {@code secrets.<name>}), if any. */
    public static java.util.Optional<CredentialException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CredentialException credential) {
                return java.util.Optional.of(credential);
            }
        }
        return java.util.Optional.empty();
    }

    /** {@link #UNKNOWN} or {@link #UNREADABLE}. */
    public String code() {
        return code;
    }

    /** The credential's name. */
    public String credential() {
        return credential;
    }
}

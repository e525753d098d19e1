package io.qflow.sdk;

/**
 * Thrown by a node that is given a {@link Decision} it refuses (form data that fails the form's
 * fields): the engine rejects the resume request, naming {@link #field()}, and the node keeps
 * waiting. Code {@code decision.invalid}.
 *
 * @since 1.1
 */
public class DecisionException extends NodeException {

    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field   where in the resume request the problem is, as a JSON pointer ({@code /data/age})
     * @param message a sentence a user understands
     */
    public DecisionException(String field, String message) {
        super("decision.invalid", message, false, null);
        this.field = field;
    }

    /** Where in the resume request the problem is, as a JSON pointer ({@code /decision}, {@code /data/age}). */
    public String field() {
        return field;
    }
}

package io.qflow.engine;

/** An expression that does not parse, refers to something unknown, leaves the sandbox or fails. */
public class ExpressionException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String expression;

    public ExpressionException(String expression, String message, Throwable cause) {
        super(message, cause);
        this.expression = expression;
    }

    /** The offending expression text (without the braces). */
    public String expression() {
        return expression;
    }
}

package io.qflow.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A recorded failure.
 *
 * @param message what went wrong
 * @param type    exception class name or a category ({@code NodeException}, {@code java.io.IOException})
 * @param code    the NodeException code, if any
 * @param stack   the stack trace as text, if any
 * @param nodeId  the node that failed, for execution-level errors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorInfo(String message, String type, String code, String stack, String nodeId) {

    public static ErrorInfo of(String message) {
        return new ErrorInfo(message, null, null, null, null);
    }

    /** Captures a throwable with its stack trace. */
    public static ErrorInfo from(Throwable error, String code) {
        StringWriter stack = new StringWriter();
        error.printStackTrace(new PrintWriter(stack));
        String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
        return new ErrorInfo(message, error.getClass().getName(), code, stack.toString(), null);
    }

    public ErrorInfo withNode(String node) {
        return new ErrorInfo(message, type, code, stack, node);
    }
}

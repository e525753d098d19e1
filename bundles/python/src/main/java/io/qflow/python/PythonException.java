package io.qflow.python;

import java.util.List;

/**
 * A request the Python adapter refuses or cannot carry out, with what kind of failure it is (the
 * REST front maps it to an HTTP status), a machine-readable code such as {@code python.syntax},
 * and optional detail (pip's whole output, a traceback) and per-field errors.
 */
public class PythonException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Kinds of failure: the REST front answers 400, 404, 409, 422 and 503 for them. */
    public enum Kind { BAD_REQUEST, NOT_FOUND, CONFLICT, UNPROCESSABLE, UNAVAILABLE }

    private final Kind kind;
    private final String code;
    private final String detail;
    private final List<String> errors;

    public PythonException(Kind kind, String code, String message, String detail, List<String> errors) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public PythonException(Kind kind, String code, String message) {
        this(kind, code, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** Long detail such as pip's output, or {@code null}. */
    public String detail() {
        return detail;
    }

    /** Individual problems, each naming what and where; may be empty. */
    public List<String> errors() {
        return errors;
    }
}

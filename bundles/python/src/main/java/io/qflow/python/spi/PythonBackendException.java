package io.qflow.python.spi;

/**
 * A backend failure with a machine-readable code ({@code python.version_unavailable},
 * {@code python.install_failed}, {@code python.worker_start}, {@code python.backend_unavailable})
 * and optional detail such as pip's whole output.
 */
public class PythonBackendException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String code;
    private final String detail;

    public PythonBackendException(String code, String message, String detail, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.detail = detail;
    }

    public PythonBackendException(String code, String message) {
        this(code, message, null, null);
    }

    public String code() {
        return code;
    }

    /** Long detail (pip's output), or {@code null}. */
    public String detail() {
        return detail;
    }
}

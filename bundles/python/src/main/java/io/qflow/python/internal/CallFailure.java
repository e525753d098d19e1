package io.qflow.python.internal;

/**
 * A Python call that did not produce a result: the user's exception (with its traceback), bad
 * arguments, a result that cannot be serialised, or the worker itself failing (timeout, crash).
 */
final class CallFailure extends Exception {

    private static final long serialVersionUID = 1L;
    private final String code;
    private final String type;
    private final String traceback;
    private final Integer line;
    private final String stdout;
    private final String stderr;
    private final boolean workerFault;

    CallFailure(String code, String type, String message, String traceback, Integer line, String stdout, String stderr,
                boolean workerFault) {
        super(message);
        this.code = code;
        this.type = type;
        this.traceback = traceback;
        this.line = line;
        this.stdout = stdout == null ? "" : stdout;
        this.stderr = stderr == null ? "" : stderr;
        this.workerFault = workerFault;
    }

    static CallFailure of(String code, String message) {
        return new CallFailure(code, code, message, null, null, null, null, false);
    }

    String code() { return code; }

    String type() { return type; }

    String traceback() { return traceback; }

    Integer line() { return line; }

    String stdout() { return stdout; }

    String stderr() { return stderr; }

    /** Whether the worker failed (timeout, crash, limits), rather than the user's code or input. */
    boolean workerFault() { return workerFault; }
}

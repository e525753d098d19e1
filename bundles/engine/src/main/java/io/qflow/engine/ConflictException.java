package io.qflow.engine;

/** The request does not fit the current state (cancel a finished execution, update a stale version). */
public class ConflictException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}

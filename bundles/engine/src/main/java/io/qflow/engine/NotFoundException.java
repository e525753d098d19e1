package io.qflow.engine;

/** The workflow or execution named in a request does not exist. */
public class NotFoundException extends Exception {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}

package io.qflow.engine;

import java.util.List;

/** A workflow document or request was refused; {@link #problems()} lists every reason at once. */
public class ValidationException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ValidationException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}

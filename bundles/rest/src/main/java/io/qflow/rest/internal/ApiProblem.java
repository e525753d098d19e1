package io.qflow.rest.internal;

/**
 * Thrown by route handlers to answer with a problem: a request the client got wrong. Carries no
 * stack trace because it is an answer, not a failure.
 */
public final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final ProblemType type;

    public ApiProblem(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }

    public static ApiProblem invalid(String detail) {
        return new ApiProblem(ProblemType.INVALID_REQUEST, detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(ProblemType.NOT_FOUND, detail);
    }
}

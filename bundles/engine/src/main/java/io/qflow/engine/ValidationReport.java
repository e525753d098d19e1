package io.qflow.engine;

import java.util.List;

/** The outcome of validating a workflow document: valid when {@code problems} is empty. */
public record ValidationReport(boolean valid, List<Problem> problems) {

    public ValidationReport {
        problems = List.copyOf(problems);
    }

    public static ValidationReport of(List<Problem> problems) {
        return new ValidationReport(problems.isEmpty(), problems);
    }
}

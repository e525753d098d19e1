package io.qflow.engine;

import java.util.Objects;

/**
 * An execution together with its JSON form, for a caller that sends the execution on as JSON:
 * what {@link ExecutionService#runEncoded} answers.
 *
 * @param execution the execution
 * @param json      the execution as UTF-8 JSON in the form {@link ExecutionJsonModule} writes, the same
 *                  document {@link ExecutionService#get} would give written out; null when the engine
 *                  does not have it at hand (the caller then writes {@code execution} itself). Shared,
 *                  not copied: do not modify it.
 * @since 1.6
 */
public record EncodedExecution(Execution execution, byte[] json) {

    public EncodedExecution {
        Objects.requireNonNull(execution, "execution");
    }
}

package io.qflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts, observes and controls executions. Thread-safe. Runs happen on virtual threads; nothing
 * here blocks except {@link #await}.
 */
@ProviderType
public interface ExecutionService {

    /**
     * Accepts a run of the stored workflow's current version: validates it, persists the execution
     * (so it is never lost) and starts it.
     *
     * @param input   what {@code core.input} nodes emit (may be null: an empty object)
     * @param trigger what started it ({@code manual} from the API)
     * @return the execution as persisted when accepted
     * @throws ValidationException when the workflow cannot run now (a node type missing, ...)
     */
    Execution start(String workflowId, JsonNode input, String trigger) throws NotFoundException, ValidationException;

    /**
     * Waits until the execution reaches a final status or the timeout passes, then returns its
     * current record (which may still be running after a timeout).
     */
    Execution await(String executionId, Duration timeout) throws NotFoundException, InterruptedException;

    /** Completes when the execution reaches a final status. */
    CompletionStage<Execution> completion(String executionId) throws NotFoundException;

    /** One execution with every node run. */
    Optional<Execution> get(String executionId);

    /** Execution summaries (without node runs), newest first. */
    List<Execution> list(ExecutionQuery query);

    /**
     * Cancels a queued, running or waiting execution: running nodes are interrupted and recorded as
     * cancelled.
     *
     * @throws ConflictException when the execution has already finished
     */
    Execution cancel(String executionId) throws NotFoundException, ConflictException;
}

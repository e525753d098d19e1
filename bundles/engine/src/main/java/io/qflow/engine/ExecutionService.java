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
     * Starts a run and waits until it settles (reaches a final status or waits for a decision) or
     * the timeout passes: {@link #start} then {@link #awaitSettled}, for callers that are told the
     * outcome (run-and-wait, a webhook that answers with the result). Unlike {@code start}, a
     * workflow with {@code settings.persistence: "batched"} does not write the accepted execution
     * on its own before running it; what is returned is written before it is returned.
     *
     * @since 1.3
     */
    default Execution run(String workflowId, JsonNode input, String trigger, Duration timeout)
            throws NotFoundException, ValidationException, InterruptedException {
        Execution started = start(workflowId, input, trigger);
        return started.status().isFinal() ? started : awaitSettled(started.id(), timeout);
    }

    /**
     * {@link #run}, answered with the execution's JSON form too when the engine has it at hand: a
     * batched run's outcome was already written out as JSON for the outcome journal, so a caller
     * that answers with the execution as JSON (run-and-wait over HTTP) need not write it again.
     *
     * @since 1.6
     */
    default EncodedExecution runEncoded(String workflowId, JsonNode input, String trigger, Duration timeout)
            throws NotFoundException, ValidationException, InterruptedException {
        return new EncodedExecution(run(workflowId, input, trigger, timeout), null);
    }

    /**
     * Waits until the execution reaches a final status or the timeout passes, then returns its
     * current record (which may still be running after a timeout).
     */
    Execution await(String executionId, Duration timeout) throws NotFoundException, InterruptedException;

    /**
     * Like {@link #await}, but also returns as soon as the execution is {@code waiting} for a
     * decision: what a caller of run-and-wait wants, since the run cannot go on without someone.
     */
    Execution awaitSettled(String executionId, Duration timeout) throws NotFoundException, InterruptedException;

    /** Completes when the execution reaches a final status. */
    CompletionStage<Execution> completion(String executionId) throws NotFoundException;

    /** One execution with every node run. */
    Optional<Execution> get(String executionId);

    /**
     * Execution summaries (without node runs), newest first: in descending id order. The engine
     * makes ids from the creation instant (version 7 UUIDs that carry it to a fraction of a
     * microsecond), so that is creation order; executions created by an engine from before ids
     * carried the fraction may be out of {@code createdAt} order within one millisecond.
     */
    List<Execution> list(ExecutionQuery query);

    /**
     * Cancels a queued, running or waiting execution: running nodes are interrupted and recorded as
     * cancelled.
     *
     * @throws ConflictException when the execution has already finished
     */
    Execution cancel(String executionId) throws NotFoundException, ConflictException;

    /**
     * Gives a waiting node (an approval, a form) its decision. The node is called again with it and
     * finishes at once (an approval emits on {@code approved} or {@code rejected}); what depends on it
     * then runs. Other branches of the execution may be running meanwhile. On any error nothing changes
     * and the node keeps waiting.
     *
     * @param decision one of the decisions the node offers (shown in its node run, {@code outputs.waitingFor.decisions})
     * @param data     what comes with the decision (form values, a comment); may be null
     * @return the execution after the decision is recorded
     * @throws ConflictException   when the execution has finished or the node is not waiting
     * @throws ValidationException when the node is unknown, the decision is not one it offers, or the
     *                             node refuses the data; each problem names the request field
     *                             ({@code /node}, {@code /decision}, {@code /data/<field>})
     * @since 1.1
     */
    Execution resume(String executionId, String nodeId, String decision, JsonNode data)
            throws NotFoundException, ConflictException, ValidationException;

    /**
     * Runs a finished execution again as a new execution (trigger {@code retry:<executionId>}, same
     * input), which is returned as accepted.
     *
     * @param fromStart      false: keep the outputs of the nodes that succeeded (as already done) and
     *                       run the failed, cancelled, timed-out and skipped ones again; true: run
     *                       every node again
     * @param currentVersion true: run the workflow's current version; false: the version the
     *                       execution ran, which must still be the current one (older versions are
     *                       not kept)
     * @throws ConflictException   when the execution has not finished, when retrying from the failed
     *                             node an execution that succeeded, when its workflow was deleted,
     *                             or when the original version is asked and no longer stored
     * @throws ValidationException when the workflow cannot run now
     * @since 1.1
     */
    Execution retry(String executionId, boolean fromStart, boolean currentVersion)
            throws NotFoundException, ConflictException, ValidationException;
}

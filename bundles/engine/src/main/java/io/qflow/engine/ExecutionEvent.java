package io.qflow.engine;

import java.time.Instant;
import java.util.Locale;

/**
 * One change of an execution as it happens, delivered through an {@link EventSubscription}. Which
 * fields are set depends on the {@link Type}; the others are null (or 0).
 *
 * @param seq         this event's number in its execution's stream (1, 2, ... per runtime process);
 *                    a {@link Type#SNAPSHOT} carries the number of the last event it already reflects
 * @param executionId the execution (null only for a {@link Type#DROPPED} notice of a stream of all executions)
 * @param workflowId  its workflow
 * @param type        what happened
 * @param at          when the engine published it
 * @param nodeId      node events: the node
 * @param nodeType    node events: the node's type id
 * @param status      node status events and {@link Type#EXECUTION_STATUS}: the new status, as in JSON
 *                    ({@code running}, {@code succeeded}, ...)
 * @param attempt     node events: the attempt (1 for the first run)
 * @param startedAt   node status events: when the attempt started; execution status: when the run started
 * @param finishedAt  node status events: when the node reached a final status; execution status: when it ended
 * @param error       failure events: why
 * @param log         {@link Type#NODE_LOG}: the line
 * @param logIndex    {@link Type#NODE_LOG}: the line's position in the node's log (0-based)
 * @param progress    {@link Type#NODE_PROGRESS}: 0 to 1
 * @param message     {@link Type#NODE_PROGRESS}: the message given with it, or null
 * @param cached      {@link Type#NODE_FINISHED}: its outputs came from the node result cache
 * @param dropped     {@link Type#DROPPED}: how many events were left out because the subscriber fell behind
 * @param snapshot    {@link Type#SNAPSHOT}: the execution with every node run, as of {@code seq}
 * @since 1.3
 */
public record ExecutionEvent(
        long seq,
        String executionId,
        String workflowId,
        Type type,
        Instant at,
        String nodeId,
        String nodeType,
        String status,
        int attempt,
        Instant startedAt,
        Instant finishedAt,
        ErrorInfo error,
        LogLine log,
        int logIndex,
        Double progress,
        String message,
        boolean cached,
        long dropped,
        Execution snapshot) {

    /** The kinds of events; {@link #json()} is the name clients see. */
    public enum Type {
        /** The current state, sent first to a subscriber (and alone for a finished execution). */
        SNAPSHOT,
        /** An attempt of a node started. */
        NODE_STARTED,
        /** A node succeeded (possibly served from the cache). */
        NODE_FINISHED,
        /** A node ended failed, timed out or cancelled ({@code status} says which). */
        NODE_FAILED,
        /** An attempt failed and the node will run again after its retry delay. */
        NODE_RETRYING,
        /** A node will not run (its branch was not taken, or the run ended first). */
        NODE_SKIPPED,
        /** A node waits for a decision (an approval, a form). */
        NODE_WAITING,
        /** A node logged a line. */
        NODE_LOG,
        /** A node reported progress. */
        NODE_PROGRESS,
        /** The execution's status changed ({@code running}, {@code waiting}, or a final one). */
        EXECUTION_STATUS,
        /** The subscriber fell behind and {@code dropped} events were left out here. */
        DROPPED;

        /** {@code node.started}, {@code execution.status}, {@code snapshot}, ... */
        public String json() {
            String name = name().toLowerCase(Locale.ROOT);
            int underscore = name.indexOf('_');
            return underscore < 0 ? name : name.substring(0, underscore) + "." + name.substring(underscore + 1);
        }
    }

    /** Whether this event ends a one-execution stream: the execution reached a final status. */
    public boolean terminal() {
        return (type == Type.EXECUTION_STATUS || type == Type.SNAPSHOT) && status != null
                && ExecutionStatus.fromJson(status).isFinal();
    }
}

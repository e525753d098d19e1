package io.qflow.engine.spi;

import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.NodeRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Persistence of executions and their node runs. Implementations are thread-safe and durable: a
 * method returns once the change is committed. The engine writes each execution from one thread
 * at a time per node, so implementations need no cross-call locking beyond their transactions.
 */
@ConsumerType
public interface ExecutionRepository {

    /**
     * What a committed write of this store survives. The engine's outcome journal for batched runs
     * (written ahead of the store) is used only where it promises no less than the store itself:
     * with {@link Durability#PROCESS_CRASH}.
     *
     * @since 1.4
     */
    enum Durability {
        /** Nothing: the data lives in memory (an in-memory database, tests). */
        NONE,
        /** A killed process: committed writes are in the operating system's files, not forced to the disk. */
        PROCESS_CRASH,
        /** A power cut too: commits are forced to the disk (PostgreSQL's default). */
        POWER_LOSS
    }

    /**
     * What this store's commits survive; the default claims the most, which keeps the engine from
     * putting anything weaker in front of a store that does not say.
     *
     * @since 1.4
     */
    default Durability durability() {
        return Durability.POWER_LOSS;
    }

    /** Inserts a new execution with its initial node runs (all pending). */
    void insert(Execution execution);

    /**
     * Updates the execution-level fields (status, startedAt, finishedAt, outputs, error);
     * node runs are not touched.
     */
    void updateExecution(Execution execution);

    /** Inserts or replaces the record of one node run of an execution. */
    void saveNodeRun(String executionId, NodeRun nodeRun);

    /**
     * What changed in one execution since it was last written, for {@link #saveChanges}.
     *
     * @param execution the execution's current fields; when {@code insert}, also its complete list of
     *                  node runs in workflow order (the node runs as they are now)
     * @param insert    the execution is not stored yet: insert it with its node runs
     * @param updated   (when not {@code insert}) the execution-level fields changed: update them
     * @param nodeRuns  (when not {@code insert}) node runs to insert or replace
     * @param json      (when {@code insert}, since 1.5) the execution as UTF-8 JSON in the form
     *                  {@link io.qflow.engine.ExecutionJsonModule} writes, when the engine has it at hand
     *                  (the record of a batched run's outcome journal), else null: a store that keeps
     *                  JSON text may take its values from it instead of writing the execution out again.
     *                  Shared, not copied: do not modify it.
     * @param spans     (with {@code json}, since 1.6) where its top-level values are, when the engine
     *                  knows it (it wrote the JSON), else null
     * @since 1.3
     */
    record Changes(Execution execution, boolean insert, boolean updated, List<NodeRun> nodeRuns, byte[] json,
                   JsonSpans spans) {
        public Changes {
            java.util.Objects.requireNonNull(execution, "execution");
            nodeRuns = List.copyOf(nodeRuns);
            if (spans != null && json == null) {
                throw new IllegalArgumentException("spans without the JSON they are in");
            }
        }

        /** Changes without the execution's JSON form. */
        public Changes(Execution execution, boolean insert, boolean updated, List<NodeRun> nodeRuns) {
            this(execution, insert, updated, nodeRuns, null, null);
        }

        /** Changes with the execution's JSON form but not where its values are. @since 1.5 */
        public Changes(Execution execution, boolean insert, boolean updated, List<NodeRun> nodeRuns, byte[] json) {
            this(execution, insert, updated, nodeRuns, json, null);
        }
    }

    /**
     * Where the top-level values {@code input}, {@code outputs}, {@code error} and {@code nodes} are
     * in an execution's JSON form ({@link Changes#json}), as byte offsets: each value is the bytes
     * from its start (inclusive) to its end (exclusive), {@code null} included when the value is JSON
     * null. The engine records them as it writes the JSON, so a store that keeps these values in
     * columns of their own takes them without reading the document.
     *
     * @since 1.6
     */
    record JsonSpans(int inputStart, int inputEnd, int outputsStart, int outputsEnd, int errorStart, int errorEnd,
                     int nodesStart, int nodesEnd) {
        public JsonSpans {
            if (inputStart < 0 || inputEnd <= inputStart || outputsStart < 0 || outputsEnd <= outputsStart
                    || errorStart < 0 || errorEnd <= errorStart || nodesStart < 0 || nodesEnd <= nodesStart) {
                throw new IllegalArgumentException("every value spans at least one byte");
            }
        }
    }

    /**
     * Writes the changes of several executions as one durable change (one transaction where the
     * store can): what write-behind persistence ({@code settings.persistence: "batched"}) flushes.
     * Each execution appears at most once. The default applies them one call at a time.
     *
     * @since 1.3
     */
    default void saveChanges(List<Changes> changes) {
        for (Changes change : changes) {
            if (change.insert()) {
                insert(change.execution());
            } else {
                if (change.updated()) {
                    updateExecution(change.execution());
                }
                for (NodeRun run : change.nodeRuns()) {
                    saveNodeRun(change.execution().id(), run);
                }
            }
        }
    }

    /** An execution with all its node runs, in workflow order. */
    Optional<Execution> find(String executionId);

    /**
     * Summaries (node runs empty), newest first: in descending order of execution id, and after
     * {@link ExecutionQuery#before()} only ids below it. Ids compare as strings; the engine's are
     * lower-case hexadecimal UUIDs with dashes at fixed places, which sort alike character by
     * character and in the usual database collations.
     *
     * <p>Descending id order is creation order: the engine makes each id from its execution's
     * creation instant (a version 7 UUID led by the instant's millisecond and its fraction in steps
     * finer than the microsecond {@code createdAt} keeps), so an execution created later has a
     * larger id and ties of one instant go by id. Stores index by id alone, which is cheaper to
     * keep than an index on the timestamp. Executions stored by an engine from before ids carried
     * the fraction may differ from {@code createdAt} order, but only within one millisecond.
     */
    List<Execution> list(ExecutionQuery query);

    /**
     * Executions that were not final when the runtime stopped (for recovery at start-up), oldest
     * first: in ascending id order (see {@link #list}).
     */
    List<Execution> unfinished();

    /**
     * Deletes up to {@code limit} final executions (succeeded, failed, cancelled) that finished
     * before {@code cutoff}, oldest first (ascending id, see {@link #list}), with their node runs.
     * Executions that are not final are never deleted. Each call is one short transaction, so
     * retention deletes in batches without holding up the engine's writes for long.
     *
     * @return how many executions were deleted; fewer than {@code limit} means none is left to delete
     * @throws UnsupportedOperationException if this store does not support retention
     * @since 1.1
     */
    default int deleteFinishedBefore(Instant cutoff, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support execution retention");
    }

    /**
     * Keeps the {@code keepNewest} most recently created final executions (those with the highest
     * ids, see {@link #list}) and deletes up to {@code limit} of the older final ones, oldest
     * first, with their node runs. Executions that are not final are never deleted and do not
     * count. One short transaction per call.
     *
     * @return how many executions were deleted; fewer than {@code limit} means none is left to delete
     * @throws UnsupportedOperationException if this store does not support retention
     * @since 1.1
     */
    default int deleteFinishedBeyond(int keepNewest, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support execution retention");
    }
}

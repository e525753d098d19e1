package io.qflow.engine.spi;

import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.NodeRun;
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

    /** Inserts a new execution with its initial node runs (all pending). */
    void insert(Execution execution);

    /**
     * Updates the execution-level fields (status, startedAt, finishedAt, outputs, error);
     * node runs are not touched.
     */
    void updateExecution(Execution execution);

    /** Inserts or replaces the record of one node run of an execution. */
    void saveNodeRun(String executionId, NodeRun nodeRun);

    /** An execution with all its node runs, in workflow order. */
    Optional<Execution> find(String executionId);

    /** Summaries (node runs empty), newest first. */
    List<Execution> list(ExecutionQuery query);

    /** Executions that were not final when the runtime stopped (for recovery at start-up). */
    List<Execution> unfinished();
}

package io.qflow.engine;

import io.qflow.engine.spi.ExecutionRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Passes every call to another repository; tests override the calls they count, slow down or break. */
public class ForwardingExecutionRepository implements ExecutionRepository {

    protected final ExecutionRepository target;

    public ForwardingExecutionRepository(ExecutionRepository target) {
        this.target = target;
    }

    @Override
    public Durability durability() {
        return target.durability();
    }

    @Override
    public void insert(Execution execution) {
        target.insert(execution);
    }

    @Override
    public void updateExecution(Execution execution) {
        target.updateExecution(execution);
    }

    @Override
    public void saveNodeRun(String executionId, NodeRun nodeRun) {
        target.saveNodeRun(executionId, nodeRun);
    }

    @Override
    public void saveChanges(List<Changes> changes) {
        target.saveChanges(changes);
    }

    @Override
    public Optional<Execution> find(String executionId) {
        return target.find(executionId);
    }

    @Override
    public List<Execution> list(ExecutionQuery query) {
        return target.list(query);
    }

    @Override
    public List<Execution> unfinished() {
        return target.unfinished();
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return target.deleteFinishedBefore(cutoff, limit);
    }

    @Override
    public int deleteFinishedBeyond(int keepNewest, int limit) {
        return target.deleteFinishedBeyond(keepNewest, limit);
    }
}

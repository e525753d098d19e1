package io.qflow.engine.internal.memory;

import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.NodeRun;
import io.qflow.engine.spi.ExecutionRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Executions in memory: for tests, the SDK test kit and benchmarks. */
public final class InMemoryExecutionRepository implements ExecutionRepository {

    /** The SPI's order, as the stores index it: by id, which the engine makes in creation order. */
    private static final Comparator<Execution> OLDEST_FIRST = Comparator.comparing(Execution::id);
    private static final Comparator<Execution> NEWEST_FIRST = OLDEST_FIRST.reversed();

    private record Entry(Execution execution, Map<String, NodeRun> nodes) {
    }

    private final Map<String, Entry> executions = new ConcurrentHashMap<>();

    @Override
    public void insert(Execution execution) {
        Map<String, NodeRun> nodes = new LinkedHashMap<>();
        execution.nodes().forEach(n -> nodes.put(n.nodeId(), n));
        executions.put(execution.id(), new Entry(summary(execution), nodes));
    }

    @Override
    public void updateExecution(Execution execution) {
        executions.computeIfPresent(execution.id(), (id, e) -> new Entry(summary(execution), e.nodes()));
    }

    @Override
    public void saveNodeRun(String executionId, NodeRun nodeRun) {
        Entry entry = executions.get(executionId);
        if (entry != null) {
            synchronized (entry.nodes()) {
                entry.nodes().put(nodeRun.nodeId(), nodeRun);
            }
        }
    }

    @Override
    public Optional<Execution> find(String executionId) {
        Entry entry = executions.get(executionId);
        if (entry == null) {
            return Optional.empty();
        }
        List<NodeRun> nodes;
        synchronized (entry.nodes()) {
            nodes = new ArrayList<>(entry.nodes().values());
        }
        Execution e = entry.execution();
        return Optional.of(new Execution(e.id(), e.workflowId(), e.workflowVersion(), e.status(), e.trigger(), e.input(),
                e.createdAt(), e.startedAt(), e.finishedAt(), e.outputs(), e.error(), nodes));
    }

    @Override
    public List<Execution> list(ExecutionQuery query) {
        return executions.values().stream().map(Entry::execution)
                .filter(e -> query.workflowId() == null || query.workflowId().equals(e.workflowId()))
                .filter(e -> query.status() == null || query.status() == e.status())
                .filter(e -> query.before() == null || e.id().compareTo(query.before()) < 0)
                .sorted(NEWEST_FIRST)
                .limit(query.limit())
                .toList();
    }

    /** Kept in memory only: nothing survives the process. */
    @Override
    public Durability durability() {
        return Durability.NONE;
    }

    @Override
    public List<Execution> unfinished() {
        return executions.values().stream().map(Entry::execution).filter(e -> !e.status().isFinal())
                .sorted(OLDEST_FIRST).toList();
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return delete(executions.values().stream().map(Entry::execution)
                .filter(e -> e.status().isFinal() && finishedAt(e).isBefore(cutoff))
                .sorted(OLDEST_FIRST)
                .limit(limit).toList());
    }

    @Override
    public int deleteFinishedBeyond(int keepNewest, int limit) {
        return delete(executions.values().stream().map(Entry::execution)
                .filter(e -> e.status().isFinal())
                .sorted(NEWEST_FIRST)
                .skip(keepNewest)
                .sorted(OLDEST_FIRST)
                .limit(limit).toList());
    }

    private int delete(List<Execution> doomed) {
        int deleted = 0;
        for (Execution e : doomed) {
            // only if unchanged since it was picked: a concurrent retry may have reopened it
            Entry entry = executions.get(e.id());
            if (entry != null && entry.execution() == e && executions.remove(e.id(), entry)) {
                deleted++;
            }
        }
        return deleted;
    }

    private static Instant finishedAt(Execution e) {
        return e.finishedAt() != null ? e.finishedAt() : e.createdAt();
    }

    private static Execution summary(Execution e) {
        return new Execution(e.id(), e.workflowId(), e.workflowVersion(), e.status(), e.trigger(), e.input(), e.createdAt(),
                e.startedAt(), e.finishedAt(), e.outputs(), e.error(), List.of());
    }
}

package io.qflow.engine.internal.memory;

import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.spi.WorkflowRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Workflows in memory: for tests, the SDK test kit and benchmarks. */
public final class InMemoryWorkflowRepository implements WorkflowRepository {

    private final Map<String, StoredWorkflow> workflows = new ConcurrentHashMap<>();

    @Override
    public void insert(StoredWorkflow workflow) {
        if (workflows.putIfAbsent(workflow.id(), workflow) != null) {
            throw new IllegalStateException("workflow " + workflow.id() + " exists");
        }
    }

    @Override
    public boolean update(StoredWorkflow workflow, int expectedVersion) {
        StoredWorkflow current = workflows.get(workflow.id());
        return current != null && current.version() == expectedVersion && workflows.replace(workflow.id(), current, workflow);
    }

    @Override
    public Optional<StoredWorkflow> find(String id) {
        return Optional.ofNullable(workflows.get(id));
    }

    @Override
    public List<StoredWorkflow> list() {
        List<StoredWorkflow> all = new ArrayList<>(workflows.values());
        all.sort(Comparator.comparing(StoredWorkflow::updatedAt).reversed());
        return all;
    }

    @Override
    public boolean delete(String id) {
        return workflows.remove(id) != null;
    }
}

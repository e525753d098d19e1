package io.qflow.engine.internal;

import io.qflow.engine.ExecutionService;
import io.qflow.engine.Expressions;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.WorkflowService;
import io.qflow.engine.spi.ExecutionRepository;
import io.qflow.engine.spi.WorkflowRepository;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerType;
import java.util.List;

/** Wires the engine's parts together without OSGi. Placeholder until the engine lands. */
public final class EngineAssembly {

    public static EngineAssembly standalone(List<NodeType> nodeTypes, List<TriggerType> triggerTypes,
                                            WorkflowRepository workflows, ExecutionRepository executions) {
        throw new UnsupportedOperationException("engine not built yet");
    }

    public static Expressions newExpressions() {
        throw new UnsupportedOperationException("engine not built yet");
    }

    public WorkflowService workflows() { throw new UnsupportedOperationException(); }
    public ExecutionService executions() { throw new UnsupportedOperationException(); }
    public NodeCatalog catalog() { throw new UnsupportedOperationException(); }
    public void close() { }
}

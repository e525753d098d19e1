package io.qflow.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.Expressions;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.WorkflowService;
import io.qflow.engine.internal.catalog.NodeTypeRegistry;
import io.qflow.engine.internal.expression.JexlExpressions;
import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import io.qflow.engine.internal.memory.InMemoryWorkflowRepository;
import io.qflow.engine.internal.run.ExecutionEngine;
import io.qflow.engine.internal.validation.ConfigSchemas;
import io.qflow.engine.internal.validation.WorkflowValidator;
import io.qflow.engine.spi.ExecutionRepository;
import io.qflow.engine.spi.WorkflowRepository;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerType;
import java.util.List;

/** Wires the engine's parts; used by {@link io.qflow.engine.Engine} and by the OSGi component. */
public final class EngineAssembly {

    private final NodeCatalog catalog;
    private final WorkflowDocuments workflows;
    private final ExecutionEngine executions;
    private volatile io.qflow.engine.internal.credentials.Credentials credentials;

    public EngineAssembly(NodeCatalog catalog, WorkflowRepository workflowRepository, ExecutionRepository executionRepository) {
        JexlExpressions expressions = new JexlExpressions(new ObjectMapper());
        WorkflowValidator validator = new WorkflowValidator(catalog, expressions, new ConfigSchemas());
        this.catalog = catalog;
        this.workflows = new WorkflowDocuments(workflowRepository, validator);
        this.executions = new ExecutionEngine(workflowRepository, executionRepository, catalog, validator, expressions);
        this.executions.largeValues(defaultLargeValues());
        this.workflows.onChange(this.executions::workflowChanged);
    }

    /**
     * @param largeValues the blob store and threshold for large values (see
     *                    {@link io.qflow.engine.internal.blob.LargeValues})
     */
    public EngineAssembly(NodeCatalog catalog, WorkflowRepository workflowRepository, ExecutionRepository executionRepository,
                          io.qflow.engine.internal.blob.LargeValues largeValues) {
        this(catalog, workflowRepository, executionRepository);
        this.executions.largeValues(largeValues);
    }

    /**
     * Blobs in {@code ${java.io.tmpdir}/qflow-blobs} (content-addressed, so engines can share it),
     * threshold from the system property {@code qflow.blobs.inlineMaxBytes} or 256 KB.
     */
    public static io.qflow.engine.internal.blob.LargeValues defaultLargeValues() {
        return new io.qflow.engine.internal.blob.LargeValues(
                new io.qflow.engine.internal.blob.FileBlobStore(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "qflow-blobs")),
                io.qflow.engine.internal.blob.LargeValues.inlineMaxBytes(
                        System.getProperty(io.qflow.engine.internal.blob.LargeValues.INLINE_MAX_SETTING)));
    }

    public static EngineAssembly standalone(List<NodeType> nodeTypes, List<TriggerType> triggerTypes,
                                            WorkflowRepository workflows, ExecutionRepository executions) {
        return standalone(nodeTypes, triggerTypes, workflows, executions, null);
    }

    /** @param largeValues blob store and threshold; null: {@link #defaultLargeValues()} */
    public static EngineAssembly standalone(List<NodeType> nodeTypes, List<TriggerType> triggerTypes,
                                            WorkflowRepository workflows, ExecutionRepository executions,
                                            io.qflow.engine.internal.blob.LargeValues largeValues) {
        NodeTypeRegistry registry = new NodeTypeRegistry();
        nodeTypes.forEach(t -> registry.addNodeType(t, "builtin"));
        triggerTypes.forEach(t -> registry.addTriggerType(t, "builtin"));
        EngineAssembly assembly = new EngineAssembly(registry,
                workflows == null ? new InMemoryWorkflowRepository() : workflows,
                executions == null ? new InMemoryExecutionRepository() : executions);
        if (largeValues != null) {
            assembly.executions.largeValues(largeValues);
        }
        assembly.executions.recover();
        return assembly;
    }

    public static Expressions newExpressions() {
        return new JexlExpressions(new ObjectMapper());
    }

    public WorkflowService workflows() {
        return workflows;
    }

    public ExecutionService executions() {
        return executions;
    }

    public ExecutionEngine engine() {
        return executions;
    }

    public NodeCatalog catalog() {
        return catalog;
    }

    /** Makes {@code credentials} what {@code secrets.<name>} in node configs reads (before the first run). */
    public void credentials(io.qflow.engine.internal.credentials.Credentials credentials) {
        this.credentials = credentials;
        executions.credentials(credentials);
    }

    /** The credentials given to {@link #credentials(io.qflow.engine.internal.credentials.Credentials)}, or null. */
    public io.qflow.engine.CredentialService credentials() {
        return credentials;
    }

    public void close() {
        executions.close();
    }
}

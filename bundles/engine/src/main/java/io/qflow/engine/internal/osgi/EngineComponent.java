package io.qflow.engine.internal.osgi;

import io.qflow.engine.ExecutionService;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.WorkflowService;
import io.qflow.engine.internal.EngineAssembly;
import io.qflow.engine.internal.retention.RetentionPolicy;
import io.qflow.engine.internal.retention.RetentionSweeper;
import io.qflow.engine.spi.ExecutionRepository;
import io.qflow.engine.spi.WorkflowRepository;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Wires the engine once a store is there and registers {@link WorkflowService} and
 * {@link ExecutionService}. Unfinished executions are resumed in the background after start.
 */
@Component(immediate = true)
public final class EngineComponent {

    private static final Logger LOG = Logger.getLogger(EngineComponent.class.getName());
    private final EngineAssembly assembly;
    private final ServiceRegistration<WorkflowService> workflowRegistration;
    private final ServiceRegistration<ExecutionService> executionRegistration;
    private final ServiceRegistration<io.qflow.engine.ExecutionMonitor> monitorRegistration;
    private final RetentionSweeper retention;

    @Activate
    public EngineComponent(BundleContext context, @Reference NodeCatalog catalog, @Reference WorkflowRepository workflows,
                           @Reference ExecutionRepository executions,
                           @Reference io.qflow.engine.internal.credentials.Credentials credentials) {
        RetentionPolicy retentionPolicy = RetentionPolicy.from(context::getProperty);
        String data = context.getProperty("qflow.data");
        this.assembly = new EngineAssembly(catalog, workflows, executions, new io.qflow.engine.internal.blob.LargeValues(
                new io.qflow.engine.internal.blob.FileBlobStore(java.nio.file.Path.of(data == null || data.isBlank() ? "data" : data, "blobs")),
                io.qflow.engine.internal.blob.LargeValues.inlineMaxBytes(
                        context.getProperty(io.qflow.engine.internal.blob.LargeValues.INLINE_MAX_SETTING))));
        assembly.engine().credentials(credentials);
        // Before the services are registered: outcomes a crash left only in the journal are stored first.
        assembly.engine().journalOutcomes(java.nio.file.Path.of(data == null || data.isBlank() ? "data" : data, "journal"));
        this.workflowRegistration = context.registerService(WorkflowService.class, assembly.workflows(), null);
        this.executionRegistration = context.registerService(ExecutionService.class, assembly.executions(), null);
        this.monitorRegistration = context.registerService(io.qflow.engine.ExecutionMonitor.class, assembly.engine().monitor(), null);
        Thread.ofVirtual().name("qflow-recover").start(() -> {
            try {
                assembly.engine().recover();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "resuming unfinished executions failed", e);
            }
        });
        this.retention = RetentionSweeper.start(executions, retentionPolicy);
    }

    @Deactivate
    void deactivate() {
        retention.close();
        monitorRegistration.unregister();
        executionRegistration.unregister();
        workflowRegistration.unregister();
        assembly.close();
    }
}

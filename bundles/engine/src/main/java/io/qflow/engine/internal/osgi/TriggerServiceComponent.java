package io.qflow.engine.internal.osgi;

import io.qflow.engine.ExecutionService;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.TriggerService;
import io.qflow.engine.WorkflowService;
import io.qflow.engine.internal.trigger.Activations;
import io.qflow.engine.spi.DocumentRepository;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Workflow activation as an OSGi service, once the engine and a document store are there. Stored
 * activations are restored in the background, so activation of this component stays quick.
 */
@Component(immediate = true)
public final class TriggerServiceComponent {

    private static final Logger LOG = Logger.getLogger(TriggerServiceComponent.class.getName());
    /** First restart delay of a failing trigger; it doubles up to a minute. */
    static final String BACKOFF_SETTING = "qflow.triggers.initialBackoffMs";

    private final ScheduledExecutorService timers;
    private final Activations activations;
    private final ServiceRegistration<TriggerService> registration;

    @Activate
    public TriggerServiceComponent(BundleContext context, @Reference NodeCatalog catalog, @Reference WorkflowService workflows,
                                   @Reference ExecutionService executions, @Reference DocumentRepository documents,
                                   @Reference io.qflow.engine.internal.credentials.Credentials credentials) {
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qflow-triggers");
            t.setDaemon(true);
            return t;
        });
        String backoff = context.getProperty(BACKOFF_SETTING);
        long initialBackoff;
        try {
            initialBackoff = backoff == null || backoff.isBlank() ? 1000 : Long.parseLong(backoff.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BACKOFF_SETTING + " must be a whole number of milliseconds: " + backoff);
        }
        this.activations = new Activations(catalog, workflows, executions, documents, credentials, timers, Math.max(1, initialBackoff));
        this.registration = context.registerService(TriggerService.class, activations, null);
        timers.execute(() -> {
            try {
                activations.restore();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "restoring workflow activations failed", e);
            }
        });
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        activations.close();
        timers.shutdownNow();
    }
}

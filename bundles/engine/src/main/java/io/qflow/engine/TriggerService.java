package io.qflow.engine;

import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Workflow activation: an active workflow's trigger nodes run (a webhook path is served, a schedule
 * fires, a folder is watched) and start executions. Activations are stored and restored at
 * start-up. A trigger whose plugin is missing leaves the workflow inactive with the reason until the
 * plugin comes back; a trigger that fails is restarted with backoff and its errors are kept on its
 * status. Thread-safe; calls return promptly (triggers start their own threads).
 *
 * @since 1.3
 */
@ProviderType
public interface TriggerService {

    /**
     * Activates a stored workflow (again, if it already is: its triggers restart on its current
     * version) and stores the activation.
     *
     * @throws ValidationException when the workflow cannot run now or has no trigger node, or when a
     *                             trigger refuses its configuration (a folder that does not exist);
     *                             each problem names the trigger node and the config field
     * @throws ConflictException   when a trigger claims something another workflow holds (a webhook
     *                             path); the message names the other workflow. Nothing is stored.
     */
    TriggerStatus activate(String workflowId) throws NotFoundException, ValidationException, ConflictException;

    /** Stops the workflow's triggers and forgets the activation. Deactivating an inactive workflow is fine. */
    TriggerStatus deactivate(String workflowId) throws NotFoundException;

    /** The activation and trigger state of one stored workflow. */
    TriggerStatus status(String workflowId) throws NotFoundException;

    /** The status of every workflow with a stored activation. */
    List<TriggerStatus> activations();

    /**
     * Starts the workflow's triggers once in test mode (a webhook answers on {@code /webhook-test/{path}}),
     * whether or not it is active, on its stored (draft) version: they stop after the first event or
     * when {@code timeout} passes.
     *
     * @throws ValidationException as {@link #activate}
     * @throws ConflictException   when another test listener holds the same path
     */
    TriggerStatus listenOnce(String workflowId, Duration timeout) throws NotFoundException, ValidationException, ConflictException;
}

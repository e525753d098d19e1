package io.qflow.sdk.trigger;

import io.qflow.sdk.NodeDescriptor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One kind of trigger, registered as an OSGi service. The platform calls {@link #start} once per
 * trigger node of each active workflow and closes the returned handle when the workflow is
 * deactivated, updated, or the trigger's plugin goes away.
 *
 * <p>Threading: {@code start} must return promptly (start threads or timers for long work) and may
 * be called concurrently for different workflows.
 */
@ConsumerType
public interface TriggerType {

    /** Describes the trigger node: its type id, output ports and config schema. It has no inputs. */
    NodeDescriptor descriptor();

    /**
     * Starts watching for events of one trigger node.
     *
     * @throws Exception when the configuration cannot work (a folder that does not exist): the
     *                   workflow is then shown with this error and its trigger is not active
     */
    TriggerHandle start(TriggerContext context) throws Exception;
}

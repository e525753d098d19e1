package io.qflow.sdk.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.NodeLogger;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** What the platform gives one running trigger node. Thread-safe. */
@ProviderType
public interface TriggerContext {

    /** The workflow the trigger belongs to. */
    String workflowId();

    /** The trigger node's id inside the workflow. */
    String nodeId();

    /** The trigger node's configuration (expressions are not evaluated: there is no run yet). */
    JsonNode config();

    /** Log lines shown on the workflow's trigger status. */
    NodeLogger log();

    /**
     * Starts one execution of the workflow. The trigger node emits {@code outputs} (values by its
     * output port names). Returns once the execution is accepted and persisted.
     */
    TriggeredRun fire(Map<String, JsonNode> outputs);
}

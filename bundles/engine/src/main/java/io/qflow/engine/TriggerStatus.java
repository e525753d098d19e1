package io.qflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Whether a workflow's triggers run, and why not.
 *
 * @param workflowId the workflow
 * @param requested  an activation is stored (the user activated it)
 * @param active     requested and every trigger node is running now
 * @param reason     why a requested workflow is not active (a missing plugin, a trigger failing), else null
 * @param triggers   each trigger node of the stored workflow
 * @since 1.3
 */
public record TriggerStatus(String workflowId, boolean requested, boolean active, String reason, List<Trigger> triggers) {

    public TriggerStatus {
        triggers = List.copyOf(triggers);
    }

    /**
     * One trigger node.
     *
     * @param state   {@code running}, {@code restarting} (failed, waiting for its backoff),
     *                {@code stopped} (not requested) or {@code unavailable} (its plugin is missing)
     * @param details what the trigger shows (a schedule's {@code nextFireTimes}), or null
     * @param errors  the most recent errors, oldest first (at most 20)
     * @param fired   executions started since the trigger last started
     */
    public record Trigger(String nodeId, String type, String state, Instant since, JsonNode details, List<TriggerError> errors,
                          long fired) {
        public Trigger {
            errors = List.copyOf(errors);
        }
    }

    /** A failure of a trigger: starting it, or reported while it ran. */
    public record TriggerError(Instant at, String message) {
    }
}

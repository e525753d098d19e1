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

    /**
     * Starts one execution and waits (blocking the calling thread, which should be a virtual thread)
     * until it is final or waiting for a decision, or {@code timeout} passes. Returns its summary
     * ({@code id}, {@code status}, {@code outputs}, {@code error}), persisted before this returns. For
     * a trigger that answers with the run's outcome (a webhook that waits): the platform may then
     * write the execution once, with its outcome, instead of once on acceptance and again at the end.
     * After a timeout the run goes on and the summary says {@code running}.
     *
     * @since 1.1
     */
    default JsonNode run(Map<String, JsonNode> outputs, java.time.Duration timeout) throws InterruptedException {
        try {
            return fire(outputs).completion().toCompletableFuture().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("status", "running");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the run failed to complete: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Reports that the running trigger broke after {@link TriggerType#start} returned (a lost
     * database connection, a watch that died). The platform records the error on the workflow's
     * trigger status, closes the handle and starts the trigger again with backoff. Returns at once.
     *
     * @since 1.1
     */
    default void failed(Throwable error) {
        log().error(String.valueOf(error));
    }

    /**
     * Small JSON state that survives restarts, private to this trigger node (a schedule's last fire
     * time). Empty when nothing was saved.
     *
     * @since 1.1
     */
    default java.util.Optional<JsonNode> loadState() {
        return java.util.Optional.empty();
    }

    /** Saves what {@link #loadState()} returns next time; durable on return. @since 1.1 */
    default void saveState(JsonNode state) {
    }

    /**
     * True when the trigger was started for one test event from the editor (a webhook listens on
     * {@code /webhook-test/{path}} instead of {@code /webhook/{path}}); the platform closes the
     * handle after the first fire or a timeout.
     *
     * @since 1.1
     */
    default boolean test() {
        return false;
    }
}

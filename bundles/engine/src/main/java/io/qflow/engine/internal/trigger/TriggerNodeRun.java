package io.qflow.engine.internal.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.TriggerStatus;
import io.qflow.sdk.trigger.TriggerHandle;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One trigger node of an activated workflow: its handle while it runs, its recent errors and its
 * restart backoff. Mutated under the {@link Activations} lock; read for status from any thread.
 */
final class TriggerNodeRun {

    static final int MAX_ERRORS = 20;

    final String workflowId;
    final String nodeId;
    final String type;
    final int nodeIndex;
    final JsonNode config;
    final boolean test;
    private final Deque<TriggerStatus.TriggerError> errors = new ArrayDeque<>();
    final AtomicLong fired = new AtomicLong();
    volatile TriggerHandle handle;
    volatile String state = "stopped";
    volatile Instant since = Instant.now();
    /** Bumped on every (re)start, so that a stale context's late failure report is ignored. */
    volatile long generation;
    int failures;
    ScheduledFuture<?> restart;

    TriggerNodeRun(String workflowId, String nodeId, String type, int nodeIndex, JsonNode config, boolean test) {
        this.workflowId = workflowId;
        this.nodeId = nodeId;
        this.type = type;
        this.nodeIndex = nodeIndex;
        this.config = config;
        this.test = test;
    }

    synchronized void error(String message) {
        if (errors.size() == MAX_ERRORS) {
            errors.removeFirst();
        }
        errors.addLast(new TriggerStatus.TriggerError(Instant.now(), message));
    }

    synchronized List<TriggerStatus.TriggerError> errors() {
        return new ArrayList<>(errors);
    }

    void state(String state) {
        this.state = state;
        this.since = Instant.now();
    }

    TriggerStatus.Trigger status() {
        JsonNode details = null;
        TriggerHandle current = handle;
        if (current != null) {
            try {
                details = current.details();
            } catch (RuntimeException e) {
                details = null; // a status read must not fail because a plugin's details() did
            }
        }
        return new TriggerStatus.Trigger(nodeId, type, state, since, details, errors(), fired.get());
    }

    /** Closes the handle, if any; a plugin's close that throws is recorded, never propagated. */
    void stop() {
        if (restart != null) {
            restart.cancel(false);
            restart = null;
        }
        generation++;
        TriggerHandle current = handle;
        handle = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                error("closing the trigger failed: " + e);
            }
        }
    }
}

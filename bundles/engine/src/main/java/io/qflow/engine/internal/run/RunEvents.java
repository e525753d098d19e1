package io.qflow.engine.internal.run;

import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionEvent;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.internal.events.EventChannel;
import io.qflow.engine.internal.events.ExecutionEventHub;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What one run tells the event hub: called right after the run changes a node's or the execution's
 * status (and for log lines and progress). Cheap when nobody listens: a node status change then
 * costs a monitor enter/exit and, for a finished node, one histogram update.
 */
final class RunEvents {

    /** For a host without an event hub: every call does nothing. */
    static final RunEvents NONE = new RunEvents(null, null);

    private final ExecutionEventHub hub;
    private final EventChannel channel;

    private RunEvents(ExecutionEventHub hub, EventChannel channel) {
        this.hub = hub;
        this.channel = channel;
    }

    static RunEvents open(ExecutionEventHub hub, Execution base, Supplier<List<NodeRun>> nodes) {
        return hub == null ? NONE : new RunEvents(hub, hub.open(base, nodes));
    }

    /** The node's status changed (and was recorded). */
    void node(NodeState state) {
        if (channel == null) {
            return;
        }
        NodeRunStatus status = state.status;
        ExecutionEvent.Type type = typeOf(status, state.finishedAt);
        if (type == null) {
            return;
        }
        if (type != ExecutionEvent.Type.NODE_STARTED && type != ExecutionEvent.Type.NODE_WAITING
                && type != ExecutionEvent.Type.NODE_RETRYING && type != ExecutionEvent.Type.NODE_SKIPPED
                && !state.cached && state.startedAt != null && state.finishedAt != null) {
            hub.nodeRan(state.spec.type(), state.startedAt, state.finishedAt);
        }
        if (!channel.heard(type) && channel.skipIfUnheard(type)) {
            return;
        }
        channel.publish(type, seq -> new ExecutionEvent(seq, channel.executionId(), channel.workflowId(), type, Instant.now(),
                state.spec.id(), state.spec.type(), status.json(), state.attempts, state.startedAt, state.finishedAt,
                type == ExecutionEvent.Type.NODE_FAILED || type == ExecutionEvent.Type.NODE_RETRYING ? state.error : null,
                null, 0, null, null, state.cached, 0, null));
    }

    private static ExecutionEvent.Type typeOf(NodeRunStatus status, Instant finishedAt) {
        return switch (status) {
            case PENDING -> null;
            case RUNNING -> ExecutionEvent.Type.NODE_STARTED;
            case WAITING -> ExecutionEvent.Type.NODE_WAITING;
            case SUCCEEDED -> ExecutionEvent.Type.NODE_FINISHED;
            case SKIPPED -> ExecutionEvent.Type.NODE_SKIPPED;
            // a failed attempt is recorded without an end time while its retry is pending
            case FAILED, TIMED_OUT, CANCELLED -> finishedAt == null ? ExecutionEvent.Type.NODE_RETRYING : ExecutionEvent.Type.NODE_FAILED;
        };
    }

    /** The node logged {@code line}, the {@code index}-th of its log. */
    void log(NodeState state, LogLine line, int index) {
        if (channel == null || (!channel.heard(ExecutionEvent.Type.NODE_LOG)
                && channel.skipIfUnheard(ExecutionEvent.Type.NODE_LOG))) {
            return;
        }
        channel.publish(ExecutionEvent.Type.NODE_LOG, seq -> new ExecutionEvent(seq, channel.executionId(), channel.workflowId(),
                ExecutionEvent.Type.NODE_LOG,
                line.time(), state.spec.id(), state.spec.type(), null, state.attempts, null, null, null, line, index, null, null,
                false, 0, null));
    }

    /** The node reported progress (not recorded: only live subscribers see it). */
    void progress(NodeState state, double fraction, String message) {
        if (channel == null || (!channel.heard(ExecutionEvent.Type.NODE_PROGRESS)
                && channel.skipIfUnheard(ExecutionEvent.Type.NODE_PROGRESS))) {
            return;
        }
        channel.publish(ExecutionEvent.Type.NODE_PROGRESS, seq -> new ExecutionEvent(seq, channel.executionId(), channel.workflowId(),
                ExecutionEvent.Type.NODE_PROGRESS,
                Instant.now(), state.spec.id(), state.spec.type(), null, state.attempts, null, null, null, null, 0, fraction,
                message, false, 0, null));
    }

    /** The execution's status changed (and was recorded); {@code record} is without node runs. */
    void execution(Execution record) {
        if (channel != null) {
            hub.statusChanged(channel, record);
        }
    }
}

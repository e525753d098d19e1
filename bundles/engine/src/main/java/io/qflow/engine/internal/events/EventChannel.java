package io.qflow.engine.internal.events;

import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionEvent;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRun;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The event stream of one execution in this runtime. Numbering an event, building it and handing it
 * to the subscribers happen under the channel's monitor, and so does taking a subscriber's
 * snapshot: a subscriber sees every event numbered after its snapshot and none before it.
 * With nobody subscribed, publishing only counts.
 */
public final class EventChannel {

    private static final Subscriber[] NONE = new Subscriber[0];

    final String executionId;
    final String workflowId;
    private volatile Subscriber[] subscribers = NONE;
    /** The event types some subscriber wants (bits of {@link Subscriber#bit}); read without the monitor to skip building, re-checked under it. */
    private volatile int wanted;
    private long seq;
    /** The execution record (without node runs) as last published; the stored one while pending. */
    private Execution record;
    /** The run's node runs now; null while no run is attached (the execution runs elsewhere or not yet). */
    private Supplier<List<NodeRun>> nodes;
    private boolean closed;

    EventChannel(String executionId, String workflowId, Execution record) {
        this.executionId = executionId;
        this.workflowId = workflowId;
        this.record = record;
    }

    /** A run of this execution starts (or resumes) here: snapshots come from it from now on. */
    synchronized void attach(Execution base, Supplier<List<NodeRun>> runNodes) {
        this.record = base;
        this.nodes = runNodes;
    }

    public String executionId() {
        return executionId;
    }

    public String workflowId() {
        return workflowId;
    }

    synchronized boolean attached() {
        return nodes != null;
    }

    /** Whether someone may want events of this type; false is only a hint, {@link #skipIfUnheard} decides. */
    public boolean heard(ExecutionEvent.Type type) {
        return (wanted & Subscriber.bit(type)) != 0;
    }

    /** Numbers an event nobody wants without building it; false when a subscriber for it arrived meanwhile. */
    public synchronized boolean skipIfUnheard(ExecutionEvent.Type type) {
        if (heard(type)) {
            return false;
        }
        seq++;
        return true;
    }

    /** Numbers the event, builds it if wanted and offers it to its subscribers, none of which can make this wait. */
    public synchronized void publish(ExecutionEvent.Type type, LongFunction<ExecutionEvent> build) {
        long number = ++seq;
        if (!heard(type) || closed) {
            return;
        }
        ExecutionEvent event = build.apply(number);
        for (Subscriber subscriber : subscribers) {
            if (subscriber.wants(type)) {
                subscriber.offer(event, false);
            }
        }
    }

    /** Under the monitor: the subscribers changed. */
    private void subscribersChanged(Subscriber[] next) {
        subscribers = next;
        int mask = 0;
        for (Subscriber subscriber : next) {
            mask |= subscriber.types;
        }
        wanted = mask;
    }

    /**
     * Publishes a change of the execution's status; the final one ends the one-execution streams
     * (their last event is delivered even into a full buffer) and closes the channel.
     *
     * @return whether the status is final (the channel is closed)
     */
    synchronized boolean publishStatus(Execution changed) {
        long number = ++seq;
        record = changed;
        boolean terminal = changed.status().isFinal();
        Subscriber[] current = subscribers;
        if (heard(ExecutionEvent.Type.EXECUTION_STATUS) && !closed) {
            ExecutionEvent event = new ExecutionEvent(number, executionId, workflowId, ExecutionEvent.Type.EXECUTION_STATUS,
                    Instant.now(), null, null, changed.status().json(), 0, changed.startedAt(), changed.finishedAt(), changed.error(),
                    null, 0, null, null, false, 0, null);
            for (Subscriber subscriber : current) {
                if (subscriber.wants(ExecutionEvent.Type.EXECUTION_STATUS)) {
                    subscriber.offer(event, terminal && subscriber.executionId != null);
                }
            }
        }
        if (!terminal) {
            return false;
        }
        closed = true;
        for (Subscriber subscriber : current) {
            if (subscriber.executionId != null) {
                subscriber.end();
            }
        }
        subscribersChanged(NONE);
        return true;
    }

    synchronized ExecutionStatus status() {
        return record.status();
    }

    /**
     * The execution as of the last numbered event. Once the channel is closed, the run's nodes no
     * longer change, so this is also how a finished execution is shown to a late subscriber.
     */
    synchronized Execution current() {
        if (nodes == null) {
            return record;
        }
        Execution r = record;
        return new Execution(r.id(), r.workflowId(), r.workflowVersion(), r.status(), r.trigger(), r.input(), r.createdAt(),
                r.startedAt(), r.finishedAt(), r.outputs(), r.error(), nodes.get());
    }

    /** Gives the subscriber its snapshot and the events after it; false when the channel has closed meanwhile. */
    synchronized boolean subscribe(Subscriber subscriber) {
        if (closed) {
            return false;
        }
        if (subscriber.wants(ExecutionEvent.Type.SNAPSHOT)) {
            subscriber.offer(snapshot(seq, current()), true);
        }
        Subscriber[] next = Arrays.copyOf(subscribers, subscribers.length + 1);
        next[next.length - 1] = subscriber;
        subscribersChanged(next);
        return true;
    }

    /** @return whether the channel has no subscriber left */
    synchronized boolean unsubscribe(Subscriber subscriber) {
        Subscriber[] current = subscribers;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == subscriber) {
                Subscriber[] next = new Subscriber[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                subscribersChanged(next);
                break;
            }
        }
        return subscribers.length == 0;
    }

    /** Ends the streams without a final status: the engine stops. */
    synchronized void shutdown() {
        closed = true;
        for (Subscriber subscriber : subscribers) {
            if (subscriber.executionId != null) {
                subscriber.end();
            }
        }
        subscribersChanged(NONE);
    }

    static ExecutionEvent snapshot(long seq, Execution execution) {
        return new ExecutionEvent(seq, execution.id(), execution.workflowId(), ExecutionEvent.Type.SNAPSHOT, Instant.now(), null, null,
                execution.status().json(), 0, execution.startedAt(), execution.finishedAt(), execution.error(), null, 0, null, null,
                false, 0, execution);
    }
}

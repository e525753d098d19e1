package io.qflow.engine.internal.events;

import io.qflow.engine.EventSubscription;
import io.qflow.engine.ExecutionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One subscription's bounded buffer. The engine's threads only ever {@link #offer} (never wait):
 * when the buffer is full the event is counted as dropped, and the count is handed to the consumer
 * as one {@code dropped} notice at the place where the events are missing.
 */
final class Subscriber implements EventSubscription {

    private final ExecutionEventHub hub;
    /** The execution followed, or null for a stream of all executions. */
    final String executionId;
    /** A stream of all executions: only this workflow's (null: every workflow). */
    final String workflowFilter;
    /** The event types wanted, one bit per {@link ExecutionEvent.Type#ordinal()}. */
    final int types;
    static final int ALL_TYPES = (1 << ExecutionEvent.Type.values().length) - 1;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ExecutionEvent> buffer = new ArrayDeque<>();
    private long dropped;
    private long lastDroppedSeq;
    private String lastDroppedExecution;
    private String lastDroppedWorkflow;
    /** Nothing more will be offered (the execution finished): the consumer drains what is left. */
    private boolean ending;
    private boolean closed;
    /** Counted among the open subscriptions (guarded by the hub's lock). */
    boolean registered;

    Subscriber(ExecutionEventHub hub, String executionId, String workflowFilter, int capacity) {
        this(hub, executionId, workflowFilter, capacity, ALL_TYPES);
    }

    Subscriber(ExecutionEventHub hub, String executionId, String workflowFilter, int capacity, int types) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a subscription needs room for at least one event, not " + capacity);
        }
        this.hub = hub;
        this.executionId = executionId;
        this.workflowFilter = workflowFilter;
        this.capacity = capacity;
        this.types = types;
    }

    static int mask(java.util.Set<ExecutionEvent.Type> types) {
        int mask = 0;
        for (ExecutionEvent.Type type : types) {
            mask |= bit(type);
        }
        return mask;
    }

    static int bit(ExecutionEvent.Type type) {
        return 1 << type.ordinal();
    }

    boolean wants(ExecutionEvent.Type type) {
        return (types & bit(type)) != 0;
    }

    boolean follows(String workflowId) {
        return workflowFilter == null || workflowFilter.equals(workflowId);
    }

    /**
     * Hands an event to the subscriber without waiting.
     *
     * @param force deliver even when the buffer is full (a stream's last event, a snapshot)
     */
    void offer(ExecutionEvent event, boolean force) {
        lock.lock();
        try {
            if (closed || ending) {
                return;
            }
            if (!force && buffer.size() >= capacity) {
                dropped++;
                lastDroppedSeq = event.seq();
                lastDroppedExecution = event.executionId();
                lastDroppedWorkflow = event.workflowId();
                hub.countDropped();
                return;
            }
            if (dropped > 0) {
                buffer.add(droppedNotice());
            }
            buffer.add(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the notice for what was dropped so far, which resets the count. */
    private ExecutionEvent droppedNotice() {
        // One execution's stream: the notice names it; a stream of all: only if every dropped event was of the same one.
        ExecutionEvent notice = new ExecutionEvent(lastDroppedSeq, executionId != null ? executionId : lastDroppedExecution,
                executionId != null ? lastDroppedWorkflow : null, ExecutionEvent.Type.DROPPED, Instant.now(), null, null, null, 0,
                null, null, null, null, 0, null, null, false, dropped, null);
        dropped = 0;
        return notice;
    }

    /** No more events will come: the consumer gets what is buffered, then the end. */
    void end() {
        lock.lock();
        try {
            ending = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ExecutionEvent next(Duration timeout) throws InterruptedException {
        return take(true, timeout.toNanos());
    }

    @Override
    public ExecutionEvent next() throws InterruptedException {
        return take(false, 0);
    }

    private ExecutionEvent take(boolean timed, long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                ExecutionEvent event = buffer.poll();
                if (event != null) {
                    return event;
                }
                if (dropped > 0 && !closed) {
                    return droppedNotice();
                }
                if (ending || closed || (timed && nanos <= 0)) {
                    return null;
                }
                if (timed) {
                    nanos = changed.awaitNanos(nanos);
                } else {
                    changed.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean ended() {
        lock.lock();
        try {
            return closed || (ending && buffer.isEmpty() && dropped == 0);
        } finally {
            lock.unlock();
        }
    }

    /** Events waiting in the buffer (for tests and diagnostics). */
    int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            dropped = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        hub.unsubscribe(this);
    }
}

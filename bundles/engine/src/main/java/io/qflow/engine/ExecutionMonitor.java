package io.qflow.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Live events of executions, for clients that follow runs as they happen (the REST streams, the
 * editor's monitor), and the engine's counters for metrics. Thread-safe; nothing here blocks.
 *
 * <p>A new subscriber first gets a {@link ExecutionEvent.Type#SNAPSHOT} (the execution with every
 * node run, carrying the sequence number of the last event it reflects), then every later event
 * of that execution in order, numbered on from the snapshot's {@code seq} without gaps (a gap only
 * ever comes with a {@code dropped} notice). Events are idempotent: a node status event carries the
 * node's whole status, a log event its line's index, so a snapshot that already shows the effect
 * of the first live event does no harm.
 *
 * @since 1.3
 */
@ProviderType
public interface ExecutionMonitor {

    /** Default buffer size of a subscription, in events. */
    int DEFAULT_CAPACITY = 1024;

    /**
     * Follows one execution: a snapshot, then its live events; the stream ends after the event of
     * its final status. For an execution that has already finished, the snapshot alone.
     *
     * @param capacity how many events may wait for the subscriber before further ones are dropped
     * @throws NotFoundException when there is no such execution
     */
    EventSubscription subscribe(String executionId, int capacity) throws NotFoundException;

    /**
     * Follows every execution in progress in this runtime (or those of one workflow): one snapshot
     * per execution in progress, then the live events of all of them, including executions that
     * start later. Never ends by itself.
     *
     * @param workflowId only this workflow's executions; null: all
     */
    EventSubscription subscribeAll(String workflowId, int capacity);

    /**
     * Like {@link #subscribeAll(String, int)}, but only events of the given types are delivered, and
     * events no subscriber wants are never built: a component that only needs to know when
     * executions end asks for {@link ExecutionEvent.Type#EXECUTION_STATUS} and costs the engine
     * nearly nothing. Numbers then have gaps where other types were left out.
     */
    EventSubscription subscribeAll(String workflowId, int capacity, java.util.Set<ExecutionEvent.Type> types);

    /** Counters and gauges since this engine started (for {@code GET /metrics}). */
    ExecutionStatistics statistics();
}

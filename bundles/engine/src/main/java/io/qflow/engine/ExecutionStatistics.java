package io.qflow.engine;

import java.util.List;
import java.util.Map;

/**
 * The engine's counters since it started (a new engine starts from zero) and its current gauges.
 *
 * @param started       executions accepted (started or retried; not counting resumed ones)
 * @param finished      executions that reached a final status, by that status
 * @param running       executions running in this runtime now
 * @param waiting       executions waiting for a decision in this runtime now
 * @param queued        executions accepted but not running yet (waiting for their node types)
 * @param nodeDurations per node type, the durations of node runs that ended (last attempt; cached
 *                      and skipped ones not counted)
 * @param subscribers   open event subscriptions
 * @param eventsDropped events left out of subscriptions whose buffer was full
 * @since 1.3
 */
public record ExecutionStatistics(long started, Map<ExecutionStatus, Long> finished, int running, int waiting, int queued,
                                  Map<String, DurationHistogram> nodeDurations, int subscribers, long eventsDropped) {

    public ExecutionStatistics {
        finished = Map.copyOf(finished);
        nodeDurations = Map.copyOf(nodeDurations);
    }

    /**
     * A histogram of durations in seconds, Prometheus style.
     *
     * @param upperBounds the buckets' upper bounds, ascending (the implicit last bucket is +Inf)
     * @param counts      cumulative counts: how many took at most {@code upperBounds[i]}
     * @param count       how many in all
     * @param sumSeconds  their total duration
     */
    public record DurationHistogram(List<Double> upperBounds, List<Long> counts, long count, double sumSeconds) {
        public DurationHistogram {
            upperBounds = List.copyOf(upperBounds);
            counts = List.copyOf(counts);
        }
    }
}

package io.qflow.engine.internal.events;

import io.qflow.engine.ExecutionStatistics.DurationHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Durations of one node type's runs in fixed buckets: lock-free, a few nanoseconds per node run. */
final class NodeDurations {

    /** Seconds: from sub-millisecond engine-only nodes to minutes-long Python or HTTP calls. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    /** Per bucket, not cumulative; the last slot is +Inf. */
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);
    private final LongAdder count = new LongAdder();
    private final DoubleAdder seconds = new DoubleAdder();

    void record(long nanos) {
        int i = 0;
        while (i < BOUND_NANOS.length && nanos > BOUND_NANOS[i]) {
            i++;
        }
        buckets.incrementAndGet(i);
        count.increment();
        seconds.add(nanos / 1e9);
    }

    DurationHistogram histogram() {
        List<Double> bounds = new ArrayList<>(BOUNDS.length);
        List<Long> cumulative = new ArrayList<>(BOUNDS.length);
        long running = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            running += buckets.get(i);
            bounds.add(BOUNDS[i]);
            cumulative.add(running);
        }
        running += buckets.get(BOUNDS.length);
        // count from the buckets, so that +Inf equals count even while other threads record
        return new DurationHistogram(bounds, cumulative, running, seconds.sum());
    }
}

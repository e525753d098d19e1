package io.qflow.engine.internal.model;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how often a failed node is tried again: exponential backoff from {@code initialDelayMs},
 * multiplied by {@code multiplier} per attempt, capped at {@code maxDelayMs}, with up to
 * {@code jitter} (0..1) of random spread so retries of many executions do not align.
 */
public record RetryPolicy(int maxAttempts, long initialDelayMs, double multiplier, long maxDelayMs, double jitter) {

    public static final RetryPolicy NONE = new RetryPolicy(1, 0, 1, 0, 0);

    /** Delay before attempt {@code nextAttempt} (2 for the first retry). */
    public long delayBefore(int nextAttempt) {
        double delay = initialDelayMs * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
        delay = Math.min(delay, maxDelayMs > 0 ? maxDelayMs : Double.MAX_VALUE);
        if (jitter > 0) {
            delay = delay * (1 - jitter + ThreadLocalRandom.current().nextDouble() * jitter * 2);
        }
        return Math.max(0, Math.round(delay));
    }
}

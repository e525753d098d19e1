package io.qflow.engine.internal.retention;

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * How much execution history is kept: finished executions older than {@code maxAge} go, and of the
 * rest only the newest {@code maxCount} (across all workflows) stay. Executions that have not
 * finished are never deleted and do not count.
 *
 * @param maxAge   finished executions older than this are deleted; null keeps them regardless of age
 * @param maxCount at most this many finished executions are kept; 0 keeps them regardless of number
 */
public record RetentionPolicy(Duration maxAge, int maxCount) {

    public static final String MAX_AGE_DAYS = "qflow.retention.maxAgeDays";
    public static final String MAX_COUNT = "qflow.retention.maxCount";
    static final int DEFAULT_MAX_AGE_DAYS = 30;
    static final int DEFAULT_MAX_COUNT = 10_000;

    public RetentionPolicy {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("the retention age must be positive, was " + maxAge);
        }
        if (maxCount < 0) {
            throw new IllegalArgumentException("the retention count must not be negative, was " + maxCount);
        }
    }

    /**
     * Reads {@value #MAX_AGE_DAYS} (default 30) and {@value #MAX_COUNT} (default 10,000) from
     * properties such as {@code BundleContext::getProperty}; 0 switches a limit off, blank means the
     * default. The lower-case spelling is accepted too, because that is what an environment
     * variable such as {@code QFLOW_RETENTION_MAXAGEDAYS} turns into.
     *
     * @throws IllegalArgumentException naming the property when a value is not a whole number ≥ 0
     */
    public static RetentionPolicy from(UnaryOperator<String> properties) {
        int days = number(properties, MAX_AGE_DAYS, DEFAULT_MAX_AGE_DAYS);
        int count = number(properties, MAX_COUNT, DEFAULT_MAX_COUNT);
        return new RetentionPolicy(days == 0 ? null : Duration.ofDays(days), count);
    }

    /** Whether either limit is on. */
    public boolean enabled() {
        return maxAge != null || maxCount > 0;
    }

    private static int number(UnaryOperator<String> properties, String key, int fallback) {
        String value = properties.apply(key);
        if (value == null || value.isBlank()) {
            value = properties.apply(key.toLowerCase(Locale.ROOT));
        }
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the property's name
        }
        throw new IllegalArgumentException(key + " must be a whole number, 0 or more (0 = no limit), not '" + value + "'");
    }
}

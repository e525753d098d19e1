package io.qflow.engine.internal.run;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Execution ids as version 7 UUIDs (RFC 9562) made from the execution's creation instant: 48 bits
 * of Unix milliseconds, then in {@code rand_a} the fraction of the millisecond in 1/4096 steps
 * (RFC 9562 §6.2, method 3), then 62 random bits.
 *
 * <p>Why the fraction: the store SPI lists executions newest first by id, and that must be creation
 * order. Creation instants have microsecond precision ({@link Timestamps}) and a 1/4096 ms step is
 * finer than a microsecond, so a later instant always gives a larger id; ids of one instant are
 * ordered by their random tail. Hence descending id order is exactly descending
 * {@code (createdAt, id)}, and the stores index executions by id alone instead of by timestamp and
 * id. The lower-case string form sorts like the UUID (hexadecimal digits and dashes at fixed
 * places). Ids created later sort later, so the stores' B-tree indexes also grow at their right
 * edge instead of touching a random page per insert.
 */
final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private TimeOrderedIds() {
    }

    /** A new id for an execution created at {@code createdAt} (the instant it is stored with). */
    static String next(Instant createdAt) {
        long millis = createdAt.toEpochMilli();
        long subMilliNanos = createdAt.getNano() % NANOS_PER_MILLI;
        long fraction = subMilliNanos * 4096 / NANOS_PER_MILLI;
        long most = (millis << 16) | 0x7000L | fraction;
        long least = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}

package io.qflow.engine.internal.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Execution timestamps, at the precision every store keeps (microseconds: PostgreSQL's limit), so
 * the answer of a run and the same execution read back later are equal.
 */
final class Timestamps {

    private Timestamps() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

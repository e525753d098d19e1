package io.qflow.engine.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123000Z");

    @Test
    void idsOfLaterInstantsSortLaterAsStringsDownToTheMicrosecond() {
        List<Instant> instants = List.of(
                T0,
                T0.plusNanos(1_000),            // same millisecond, 1 µs later
                T0.plusNanos(2_000),
                T0.plusNanos(998_000),
                T0.plusNanos(999_000),          // last microsecond of the millisecond
                T0.plusMillis(1),               // next millisecond, fraction back to 0
                T0.plusSeconds(3_600).plusNanos(7_000));
        for (int round = 0; round < 1_000; round++) {
            List<String> ids = new ArrayList<>();
            instants.forEach(instant -> ids.add(TimeOrderedIds.next(instant)));
            assertEquals(ids.stream().sorted().toList(), ids, "ids in the order of their instants");
        }
    }

    @Test
    void everyMicrosecondOfAMillisecondHasItsOwnFraction() {
        String previous = TimeOrderedIds.next(T0);
        for (int micros = 1; micros < 1_000; micros++) {
            String id = TimeOrderedIds.next(T0.plusNanos(micros * 1_000L));
            assertEquals(-1, Integer.signum(previous.compareTo(id)), previous + " < " + id);
            previous = id;
        }
    }

    @Test
    void idsAreVersion7UuidsCarryingTheMillisecondAndFraction() {
        Instant created = T0.plusNanos(500_000);
        String id = TimeOrderedIds.next(created);
        UUID uuid = UUID.fromString(id);

        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        assertEquals(created.toEpochMilli(), uuid.getMostSignificantBits() >>> 16, "unix_ts_ms is the creation millisecond");
        assertEquals(2048, uuid.getMostSignificantBits() & 0x0FFF, "rand_a: half a millisecond is 2048/4096");
        assertEquals(id.toLowerCase(Locale.ROOT), id, "lower case, so strings sort like the UUIDs");
    }

    @Test
    void idsOfOneInstantDifferInTheirRandomTail() {
        String a = TimeOrderedIds.next(T0);
        String b = TimeOrderedIds.next(T0);

        assertNotEquals(a, b);
        assertEquals(a.substring(0, 18), b.substring(0, 18), "same millisecond, version and fraction");
    }
}

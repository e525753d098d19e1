package io.qflow.engine.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void idsAreVersion7UuidsThatSortByCreationTime() {
        String first = TimeOrderedIds.next();
        // ids of one millisecond are random among themselves; one of a later millisecond sorts after
        long created = System.currentTimeMillis();
        while (System.currentTimeMillis() == created) {
            Thread.onSpinWait();
        }
        String second = TimeOrderedIds.next();
        UUID uuid = UUID.fromString(first);
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        assertTrue(first.compareTo(second) < 0, first + " < " + second);
        long millis = uuid.getMostSignificantBits() >>> 16;
        assertTrue(Math.abs(System.currentTimeMillis() - millis) < 10_000, "timestamp prefix is the creation time");
    }
}

package io.qflow.engine.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void idsAreVersion7UuidsThatSortByCreationTime() throws Exception {
        String first = TimeOrderedIds.next();
        Thread.sleep(2); // ids of the same millisecond are random among themselves; a later one sorts after
        String second = TimeOrderedIds.next();
        UUID uuid = UUID.fromString(first);
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        assertTrue(first.compareTo(second) < 0, first + " < " + second);
        long millis = uuid.getMostSignificantBits() >>> 16;
        assertTrue(Math.abs(System.currentTimeMillis() - millis) < 10_000, "timestamp prefix is the creation time");
    }
}

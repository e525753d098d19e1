package io.qflow.trigger.schedule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerHandle;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.qflow.sdk.testkit.TriggerHarness;
import org.junit.jupiter.api.Test;

class ScheduleTriggerTest {

    private final ScheduleTrigger trigger = new ScheduleTrigger();

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void cronWithSecondsAndATimeZoneGivesWholeSecondFireTimes() throws Exception {
        Schedule schedule = Schedule.parse(TriggerHarness.of("w", "clock", "{\"cron\": \"0 30 9 * * MON-FRI\", \"timezone\": \"Europe/Paris\"}").config());
        List<Instant> next = schedule.nextTimes(Instant.parse("2026-11-20T10:00:00.123Z"), 2); // a Friday
        assertEquals(List.of(Instant.parse("2026-11-23T08:30:00Z"), Instant.parse("2026-11-24T08:30:00Z")), next);
    }

    @Test
    void fiveFieldCronIsUnixMinuteFirst() throws Exception {
        Schedule schedule = Schedule.parse(TriggerHarness.of("w", "clock", "{\"cron\": \"*/15 * * * *\"}").config());
        assertEquals(Instant.parse("2026-01-01T00:15:00Z"), schedule.next(Instant.parse("2026-01-01T00:00:00.5Z")).orElseThrow());
    }

    @Test
    void badConfigNamesTheField() throws Exception {
        assertEquals("cron", refusal("{\"cron\": \"61 * * * * *\"}").field());
        assertEquals("cron", refusal("{\"cron\": \"every day\"}").field());
        assertEquals("timezone", refusal("{\"cron\": \"* * * * *\", \"timezone\": \"Mars/Olympus\"}").field());
        assertEquals("cron", refusal("{}").field());
        assertEquals("intervalSeconds", refusal("{\"cron\": \"* * * * *\", \"intervalSeconds\": 5}").field());
        assertEquals("intervalSeconds", refusal("{\"intervalSeconds\": 0}").field());
        assertEquals("missedFire", refusal("{\"intervalSeconds\": 5, \"missedFire\": \"all\"}").field());
    }

    private TriggerConfigException refusal(String config) {
        return assertThrows(TriggerConfigException.class, () -> trigger.start(TriggerHarness.of("w", "clock", config)), config);
    }

    @Test
    void anEverySecondCronFiresOnTheSecondAndShowsItsNextFireTimes() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "clock", "{\"cron\": \"* * * * * *\"}");
        TriggerHandle handle = trigger.start(context);
        try {
            JsonNode details = handle.details();
            assertEquals(5, details.get("nextFireTimes").size());
            assertTrue(details.get("nextFireTimes").get(0).asText().matches(".*:\\d\\dZ"), details.toString());
            await(() -> context.fires().size() >= 2, "two fires");
            for (var fire : context.fires()) {
                Instant scheduled = Instant.parse(fire.get("scheduledTime").asText());
                Instant fired = Instant.parse(fire.get("firedAt").asText());
                assertEquals(0, scheduled.getNano());
                long lateMs = fired.toEpochMilli() - scheduled.toEpochMilli();
                assertTrue(lateMs >= 0 && lateMs < 1000, "fired " + lateMs + " ms after its time");
            }
            assertEquals(context.fires().get(context.fires().size() - 1).get("scheduledTime").asText(),
                    context.state().get("lastFireTime").asText(), "the last fire time is stored");
        } finally {
            handle.close();
        }
        int after = context.fires().size();
        Thread.sleep(1200);
        assertTrue(context.fires().size() <= after + 1, "closed: no more fires");
    }

    @Test
    void runOnceFiresOnceForFiresMissedWhileDownAndSkipDoesNot() throws Exception {
        TriggerHarness runOnce = TriggerHarness.of("w", "clock", "{\"intervalSeconds\": 60, \"missedFire\": \"runOnce\"}")
                .withState(JsonNodeFactory.instance.objectNode().put("lastFireTime", Instant.now().minusSeconds(600).toString()));
        TriggerHandle handle = trigger.start(runOnce);
        try {
            await(() -> runOnce.fires().size() == 1, "the catch-up fire");
            assertTrue(runOnce.fires().get(0).get("missed").asBoolean());
            Thread.sleep(300);
            assertEquals(1, runOnce.fires().size(), "one run for everything missed");
        } finally {
            handle.close();
        }

        TriggerHarness skip = TriggerHarness.of("w", "clock", "{\"intervalSeconds\": 60, \"missedFire\": \"skip\"}")
                .withState(JsonNodeFactory.instance.objectNode().put("lastFireTime", Instant.now().minusSeconds(600).toString()));
        TriggerHandle skipping = trigger.start(skip);
        try {
            Thread.sleep(300);
            assertEquals(0, skip.fires().size());
        } finally {
            skipping.close();
        }
    }
}

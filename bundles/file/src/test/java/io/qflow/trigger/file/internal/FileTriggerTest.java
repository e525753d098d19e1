package io.qflow.trigger.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.qflow.sdk.testkit.TriggerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTriggerTest {

    @TempDir
    Path folder;
    private final FileTrigger trigger = new FileTrigger();

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private TriggerHarness context(String extra) throws Exception {
        return TriggerHarness.of("w", "watch", "{\"folder\": \"" + folder + "\"" + extra + "}");
    }

    @Test
    void aNewMatchingFileFiresOnceWithItsPathAndMetadataAfterItsWritesSettle() throws Exception {
        TriggerHarness context = context(", \"glob\": \"*.csv\", \"debounceMs\": 300");
        try (TriggerHandle handle = trigger.start(context)) {
            Path file = folder.resolve("report.csv");
            Files.writeString(file, "a,b\n");
            Files.writeString(file, "a,b\n1,2\n"); // a second write within the debounce time
            Files.writeString(folder.resolve("notes.txt"), "ignored by the glob");
            await(() -> !context.fires().isEmpty(), "the fire");
            var fire = context.fires().get(0);
            assertEquals(file.toAbsolutePath().toString(), fire.get("path").asText());
            assertEquals("report.csv", fire.get("name").asText());
            assertEquals("created", fire.get("event").asText());
            assertEquals(8, fire.get("size").asLong());
            assertTrue(fire.get("modifiedAt").asText().endsWith("Z"));
            Thread.sleep(600); // one debounce period more: nothing else may fire
            assertEquals(1, context.fires().size(), context.fires().toString());
        }
    }

    @Test
    void modifiedAndDeletedEventsCarryTheirKindAndAFilterOnEventsApplies() throws Exception {
        Path file = folder.resolve("data.json");
        Files.writeString(file, "{}");
        TriggerHarness context = context(", \"events\": [\"modified\", \"deleted\"], \"debounceMs\": 100");
        try (TriggerHandle handle = trigger.start(context)) {
            Files.writeString(file, "{\"a\": 1}");
            await(() -> context.fires().size() == 1, "the modified fire");
            assertEquals("modified", context.fires().get(0).get("event").asText());
            Files.delete(file);
            await(() -> context.fires().size() == 2, "the deleted fire");
            assertEquals("deleted", context.fires().get(1).get("event").asText());
            assertTrue(context.fires().get(1).get("size").isNull());
            Files.writeString(folder.resolve("new.json"), "{}");
            Thread.sleep(400);
            assertEquals(2, context.fires().size(), "created is not among the events asked for");
        }
    }

    @Test
    void aFolderThatDoesNotExistIsRefusedNamingTheField() throws Exception {
        TriggerConfigException e = assertThrows(TriggerConfigException.class,
                () -> trigger.start(TriggerHarness.of("w", "watch", "{\"folder\": \"" + folder.resolve("missing") + "\"}")));
        assertEquals("folder", e.field());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals("events", assertThrows(TriggerConfigException.class, () -> trigger.start(context(", \"events\": [\"renamed\"]"))).field());
    }
}

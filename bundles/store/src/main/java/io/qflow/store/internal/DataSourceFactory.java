package io.qflow.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Builds the connection pool for {@link StoreSettings}. The driver's own DataSource class is
 * created directly: inside OSGi, {@code DriverManager} does not see drivers of other bundles, so
 * Hikari's driver-class-name lookup would fail.
 */
public final class DataSourceFactory {

    private DataSourceFactory() {
    }

    public static HikariDataSource create(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("qflow-store");
        config.setDataSource(driverDataSource(settings));
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static DataSource driverDataSource(StoreSettings settings) {
        return switch (SqlDialect.ofUrl(settings.url())) {
            case H2 -> {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL(settings.url());
                h2.setUser(settings.user() == null ? "sa" : settings.user());
                h2.setPassword(settings.password() == null ? "" : settings.password());
                yield h2;
            }
            case POSTGRESQL -> {
                PGSimpleDataSource postgres = new PGSimpleDataSource();
                postgres.setURL(settings.url());
                if (settings.user() != null) {
                    postgres.setUser(settings.user());
                }
                if (settings.password() != null) {
                    postgres.setPassword(settings.password());
                }
                // Sends the pending node runs of a new execution as one multi-row INSERT.
                postgres.setReWriteBatchedInserts(true);
                yield postgres;
            }
        };
    }
}

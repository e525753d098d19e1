package io.qflow.store.internal;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings the schema up to date with Flyway; a no-op when it already is. */
public final class SchemaMigrator {

    private SchemaMigrator() {
    }

    /**
     * Flyway is embedded in this bundle and runs with the bundle's class loader, so it finds the
     * migrations inside the bundle (its OSGi scanner) as well as on a plain class path or in a JAR.
     * A location it cannot find is an error rather than an empty schema.
     */
    public static MigrateResult migrate(DataSource dataSource, SqlDialect dialect) {
        return Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + dialect.migrations())
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .load()
                .migrate();
    }
}

package io.qflow.store.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Owns the store's connection pool: opens it from the framework properties {@code qflow.db.url},
 * {@code qflow.db.user}, {@code qflow.db.password}, {@code qflow.db.poolSize} and {@code qflow.data},
 * migrates the schema, and closes the pool on deactivate. The two repository components share it.
 * Registered under its own (private) class, so only this bundle can use it.
 */
@Component(service = JdbcStoreComponent.class, immediate = true)
public class JdbcStoreComponent implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final SqlDialect dialect;
    private final String url;
    private final ObjectMapper objectMapper = StoreJson.newObjectMapper();

    @Activate
    public JdbcStoreComponent(BundleContext context) {
        this(StoreSettings.from(context::getProperty));
    }

    public JdbcStoreComponent(StoreSettings settings) {
        this.url = settings.url();
        this.dialect = SqlDialect.ofUrl(url);
        this.dataSource = DataSourceFactory.create(settings);
        try {
            SchemaMigrator.migrate(dataSource, dialect);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    @Deactivate
    @Override
    public void close() {
        dataSource.close();
    }

    DataSource dataSource() {
        return dataSource;
    }

    SqlDialect dialect() {
        return dialect;
    }

    String url() {
        return url;
    }

    ObjectMapper objectMapper() {
        return objectMapper;
    }
}

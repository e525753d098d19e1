package io.qflow.store.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where the store keeps its data: a JDBC URL (H2 or PostgreSQL) with its credentials, and the
 * connection pool size.
 *
 * @param url      a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
 * @param user     database user, or null to take it from the URL
 * @param password database password, or null
 * @param poolSize maximum number of pooled connections
 */
public record StoreSettings(String url, String user, String password, int poolSize) {

    public static final String URL = "qflow.db.url";
    public static final String USER = "qflow.db.user";
    public static final String PASSWORD = "qflow.db.password";
    public static final String POOL_SIZE = "qflow.db.poolSize";
    public static final String DATA = "qflow.data";

    /*
     * The default pool suits the 2-core machines Qflow targets: the engine writes from a handful
     * of threads, and more connections than cores only adds contention in embedded H2.
     */
    static final int DEFAULT_POOL_SIZE = 4;

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        if (poolSize < 1) {
            throw new IllegalArgumentException(POOL_SIZE + " must be at least 1, was " + poolSize);
        }
    }

    /** Reads the settings from properties such as {@code BundleContext::getProperty}; blank means unset. */
    public static StoreSettings from(UnaryOperator<String> properties) {
        String data = valueOr(properties.apply(DATA), "data");
        String url = valueOr(properties.apply(URL), h2FileUrl(Path.of(data).resolve("db").resolve("qflow")));
        String poolSize = valueOr(properties.apply(POOL_SIZE), String.valueOf(DEFAULT_POOL_SIZE));
        return new StoreSettings(url, blankToNull(properties.apply(USER)), blankToNull(properties.apply(PASSWORD)),
                Integer.parseInt(poolSize.trim()));
    }

    /**
     * The embedded H2 database at {@code file} (without the {@code .mv.db} suffix).
     *
     * <ul>
     *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: the store closes the pool on deactivate; H2's own
     *       shutdown hook would otherwise close the database under the framework's feet while it
     *       stops.</li>
     *   <li>{@code WRITE_DELAY=0}: H2 has no write-ahead log, and by default writes committed
     *       changes to the file up to 500 ms later; with 0 every commit is written before it
     *       returns, so a killed JVM loses nothing that was reported as saved.</li>
     *   <li>{@code LOCK_TIMEOUT=10000}: waits for a row lock held by a concurrent writer instead of
     *       failing after H2's default 1 s.</li>
     * </ul>
     */
    public static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath().normalize()
                + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }

    public static StoreSettings of(String url, String user, String password) {
        return new StoreSettings(url, user, password, DEFAULT_POOL_SIZE);
    }

    private static String valueOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}

package io.qflow.rest.internal;

import java.util.function.Function;

/**
 * What the REST front is configured with.
 *
 * @param host           interface to bind ({@code qflow.host}); anything but loopback needs {@code apiTokens}
 * @param port           TCP port ({@code qflow.port}); 0 picks a free one (tests)
 * @param maxBodyBytes   largest JSON request body ({@code qflow.http.maxBodyBytes}); more is a 413
 * @param maxUploadBytes largest plugin JAR upload ({@code qflow.http.maxUploadBytes})
 * @param benchPlain     registers {@code POST /api/v1/_plain}, the HTTP baseline of the benchmark
 *                       ({@code qflow.bench.plain})
 * @param version        the version reported by {@code /health}
 * @param apiTokens      bearer tokens and their roles ({@code qflow.api.tokens}); none means no authentication,
 *                       which is refused unless {@code host} is a loopback address
 */
public record RestSettings(String host, int port, long maxBodyBytes, long maxUploadBytes, boolean benchPlain,
                           String version, ApiTokens apiTokens) {

    public static final String HOST = "qflow.host";
    public static final String PORT = "qflow.port";
    public static final String MAX_BODY_BYTES = "qflow.http.maxBodyBytes";
    public static final String MAX_UPLOAD_BYTES = "qflow.http.maxUploadBytes";
    public static final String BENCH_PLAIN = "qflow.bench.plain";
    public static final String API_TOKENS = "qflow.api.tokens";

    static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    static final long DEFAULT_MAX_UPLOAD_BYTES = 100L * 1024 * 1024;
    /** Bodies are read into one array, so no limit can exceed what an array holds. */
    private static final long LARGEST_BODY = Integer.MAX_VALUE - 16;

    public RestSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(HOST + " must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PORT + " must be between 0 and 65535, not " + port);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > LARGEST_BODY) {
            throw new IllegalArgumentException(MAX_BODY_BYTES + " must be between 1 and " + LARGEST_BODY);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException(MAX_UPLOAD_BYTES + " must be positive");
        }
        version = version == null ? "unknown" : version;
        apiTokens = apiTokens == null ? ApiTokens.none() : apiTokens;
        if (apiTokens.isEmpty() && !isLoopback(host.trim())) {
            throw new IllegalArgumentException("Refusing to serve the REST API on " + host + " without authentication: set "
                    + API_TOKENS + " (QFLOW_API_TOKENS) to role:token entries (roles admin, editor, viewer), "
                    + "or bind " + HOST + " to 127.0.0.1");
        }
    }

    /** Whether {@code host} names the loopback interface: localhost, 127.x.x.x or ::1. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /** The defaults on a free port: what tests use. */
    public static RestSettings forTests() {
        return new RestSettings("127.0.0.1", 0, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_UPLOAD_BYTES, false, "test", ApiTokens.none());
    }

    public RestSettings withMaxBodyBytes(long bytes) {
        return new RestSettings(host, port, bytes, maxUploadBytes, benchPlain, version, apiTokens);
    }

    public RestSettings withBenchPlain(boolean enabled) {
        return new RestSettings(host, port, maxBodyBytes, maxUploadBytes, enabled, version, apiTokens);
    }

    public RestSettings withApiTokens(ApiTokens tokens) {
        return new RestSettings(host, port, maxBodyBytes, maxUploadBytes, benchPlain, version, tokens);
    }

    /**
     * Reads the settings from properties (framework properties in the runtime), defaults for those
     * not set.
     *
     * @throws IllegalArgumentException naming the property that holds an invalid value, or naming
     *                                  {@code qflow.api.tokens} when a host that is not loopback has none
     */
    public static RestSettings from(Function<String, String> properties, String version) {
        return new RestSettings(
                text(properties, HOST, "127.0.0.1"),
                (int) number(properties, PORT, 8080),
                number(properties, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
                number(properties, MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES),
                Boolean.parseBoolean(text(properties, BENCH_PLAIN, "false")),
                version,
                ApiTokens.parse(properties.apply(API_TOKENS)));
    }

    private static String text(Function<String, String> properties, String key, String fallback) {
        String value = properties.apply(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static long number(Function<String, String> properties, String key, long fallback) {
        String value = text(properties, key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'", e);
        }
    }
}

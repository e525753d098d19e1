package io.qflow.python.internal;

import io.qflow.python.spi.Limits;
import io.qflow.python.spi.PipOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The adapter's settings, read from framework properties ({@code conf/qflow.properties} and
 * {@code QFLOW_PYTHON_*} variables). See the bundle README for each key.
 *
 * @param dataDir        {@code ${qflow.data}/python}: worker.py, venvs under {@code envs/}
 * @param interpreters   extra interpreter paths ({@code qflow.python.interpreters}, comma-separated)
 * @param defaultVersion version used when none is asked for ({@code qflow.python.version}); null = newest found
 * @param pip            index, find-links, no-index
 * @param limits         default limits of a node
 * @param maxIdlePerPool warm workers kept per pool ({@code qflow.python.pool.maxIdle})
 * @param idleTimeout    idle workers older than this are stopped ({@code qflow.python.pool.idleSeconds})
 * @param blobThreshold  pickled values larger than this many bytes travel through the BlobStore
 * @param allowImports   if not empty, only these top-level modules may be imported (plus stdlib unless denied)
 * @param denyImports    top-level modules that may not be imported
 */
public record PythonSettings(Path dataDir, List<String> interpreters, String defaultVersion, PipOptions pip, Limits limits,
                             int maxIdlePerPool, Duration idleTimeout, long blobThreshold,
                             List<String> allowImports, List<String> denyImports) {

    static PythonSettings from(Function<String, String> given) {
        // QFLOW_PYTHON_FINDLINKS arrives as qflow.python.findlinks: accept the lower-case form of every key too.
        Function<String, String> properties = key -> {
            String v = given.apply(key);
            return v != null ? v : given.apply(key.toLowerCase(java.util.Locale.ROOT));
        };
        String data = value(properties, "qflow.data", "data");
        Path dataDir = Path.of(data).toAbsolutePath().resolve("python");
        List<String> findLinks = list(properties.apply("qflow.python.findLinks"));
        PipOptions pip = new PipOptions(blankToNull(properties.apply("qflow.python.indexUrl")), findLinks,
                Boolean.parseBoolean(value(properties, "qflow.python.noIndex", "false")));
        Limits defaults = Limits.DEFAULT;
        Limits limits = new Limits(
                Duration.ofMillis(Math.round(number(properties, "qflow.python.timeoutSeconds", 30) * 1000)),
                (long) (number(properties, "qflow.python.memoryMb", 512) * 1024 * 1024),
                number(properties, "qflow.python.cpus", defaults.cpus()),
                Boolean.parseBoolean(value(properties, "qflow.python.network", "false")),
                (int) number(properties, "qflow.python.maxProcesses", defaults.maxProcesses()));
        return new PythonSettings(dataDir, list(properties.apply("qflow.python.interpreters")),
                blankToNull(properties.apply("qflow.python.version")), pip, limits,
                (int) number(properties, "qflow.python.pool.maxIdle", 4),
                Duration.ofSeconds((long) number(properties, "qflow.python.pool.idleSeconds", 300)),
                (long) number(properties, "qflow.python.blobThreshold", 256 * 1024),
                list(properties.apply("qflow.python.allowImports")), list(properties.apply("qflow.python.denyImports")));
    }

    private static String value(Function<String, String> properties, String key, String fallback) {
        String v = properties.apply(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static double number(Function<String, String> properties, String key, double fallback) {
        String v = properties.apply(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d <= 0) {
                throw new IllegalArgumentException(key + " must be positive, not " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + v + "'", e);
        }
    }

    static List<String> list(String v) {
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}

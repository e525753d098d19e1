package io.qflow.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The runtime's settings: {@code conf/qflow.properties}, overlaid by {@code QFLOW_*} environment
 * variables, overlaid by {@code -D} system properties given to the JVM.
 *
 * <p>An environment variable maps to a key by lower-casing it and turning {@code _} into {@code .}:
 * {@code QFLOW_DB_URL} sets {@code qflow.db.url}. Keys are case-sensitive and many are camel-case
 * ({@code qflow.retention.maxAgeDays}), which an environment variable cannot spell: it sets the key of
 * that spelling when {@code conf/qflow.properties} names it, as a setting or in a comment
 * ({@code #qflow.webhook.maxBodyBytes=}), so {@code QFLOW_RETENTION_MAXAGEDAYS} reaches
 * {@code qflow.retention.maxAgeDays}. Relative paths in {@link #PATH_KEYS} are resolved
 * against the distribution home, so the folder can be moved and started from anywhere.
 */
final class Settings {

    static final String HOME = "qflow.home";
    static final String HOST = "qflow.host";
    static final String PORT = "qflow.port";
    static final String DATA = "qflow.data";
    static final String PLUGINS = "qflow.plugins";
    static final String FEATURES = "qflow.features";

    /** Keys whose values are paths; relative ones are taken from the distribution home. */
    static final Set<String> PATH_KEYS = Set.of(DATA, PLUGINS);

    private static final Map<String, String> DEFAULTS = Map.of(
            HOST, "127.0.0.1",
            PORT, "8080",
            DATA, "data",
            PLUGINS, "plugins",
            FEATURES, "platform,core,triggers,python");

    private static final String ENV_PREFIX = "QFLOW_";
    /** A {@code qflow.*} key at the start of a line of the properties file, commented out or not. */
    private static final java.util.regex.Pattern NAMED_KEY =
            java.util.regex.Pattern.compile("^\\s*#?\\s*(qflow\\.[A-Za-z0-9.]+)\\s*[=:]");

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * @param home       the distribution folder (holds conf/, bundle/, features/)
     * @param env        the process environment
     * @param systemProps the JVM's system properties; only {@code qflow.*} keys are taken from them
     */
    static Settings load(Path home, Map<String, String> env, Properties systemProps) throws IOException {
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        Map<String, String> spellings = new java.util.HashMap<>();
        Path file = home.resolve("conf").resolve("qflow.properties");
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                java.util.regex.Matcher named = NAMED_KEY.matcher(line);
                if (named.find()) {
                    spellings.put(named.group(1).toLowerCase(Locale.ROOT), named.group(1));
                }
            }
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            }
            props.stringPropertyNames().forEach(key -> values.put(key, props.getProperty(key).strip()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                values.put(spellings.getOrDefault(key, key), value);
            }
        });
        systemProps.stringPropertyNames().stream()
                .filter(key -> key.startsWith("qflow."))
                .forEach(key -> values.put(key, systemProps.getProperty(key)));

        Path absoluteHome = home.toAbsolutePath().normalize();
        values.put(HOME, absoluteHome.toString());
        for (String key : PATH_KEYS) {
            values.computeIfPresent(key, (k, v) -> absoluteHome.resolve(v).normalize().toString());
        }
        return new Settings(values);
    }

    String get(String key) {
        return values.get(key);
    }

    Path path(String key) {
        return Path.of(values.get(key));
    }

    int port() {
        String port = values.get(PORT);
        try {
            return Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("qflow.port must be a number, not '" + port + "'", e);
        }
    }

    List<String> features() {
        return Arrays.stream(values.get(FEATURES).split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList();
    }

    /** Every setting, {@code qflow.*} and pass-through keys (felix.*, org.slf4j.simpleLogger.*) alike. */
    Map<String, String> asMap() {
        return values;
    }
}

package io.qflow.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A named group of bundles the runtime installs together, read from {@code features/<name>.json}:
 * <pre>{"name": "core", "description": "...", "bundles": [
 *   {"groupId": "...", "artifactId": "...", "version": "...", "start": true, "startLevel": 1}]}</pre>
 * {@code start} defaults to true and {@code startLevel} to 1.
 */
record Feature(String name, String description, List<BundleRef> bundles) {

    static Feature read(Path featuresDir, String name) throws IOException {
        Path file = featuresDir.resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no such feature '" + name + "'; known: " + names(featuresDir));
        }
        return read(file);
    }

    static Feature read(Path file) throws IOException {
        Map<String, Object> json;
        try (InputStream in = Files.newInputStream(file)) {
            json = JSON.std.mapFrom(in);
        }
        String name = text(json, "name", file);
        String expected = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!name.equals(expected)) {
            throw new IOException(file + ": name '" + name + "' differs from the file name");
        }
        if (!(json.get("bundles") instanceof List<?> entries)) {
            throw new IOException(file + ": 'bundles' must be a list");
        }
        List<BundleRef> bundles = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> bundle)) {
                throw new IOException(file + ": every entry of 'bundles' must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> b = (Map<String, Object>) bundle;
            String version = text(b, "version", file);
            if (version.contains("${")) {
                throw new IOException(file + ": version '" + version + "' was not filtered by Maven");
            }
            bundles.add(new BundleRef(text(b, "groupId", file), text(b, "artifactId", file), version,
                    !Boolean.FALSE.equals(b.get("start")),
                    b.get("startLevel") instanceof Number n ? n.intValue() : BundleRef.DEFAULT_START_LEVEL));
        }
        return new Feature(name, json.get("description") instanceof String d ? d : "", List.copyOf(bundles));
    }

    /** The names of every feature in the folder, sorted. */
    static List<String> names(Path featuresDir) throws IOException {
        if (!Files.isDirectory(featuresDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(featuresDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json"))
                    .map(f -> f.substring(0, f.length() - ".json".length()))
                    .sorted()
                    .toList();
        }
    }

    private static String text(Map<String, Object> json, String key, Path file) throws IOException {
        if (json.get(key) instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new IOException(file + ": '" + key + "' is missing or not a string");
    }
}

package io.qflow.editor.internal;

import io.qflow.rest.spi.WebAssets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * The built editor (Vite's output, packed under {@value #ROOT} in this bundle) as the REST front's
 * {@link WebAssets}. Files are read from the bundle once and kept: they never change while the
 * bundle is installed (an update makes a new component with a new cache).
 */
@Component(service = WebAssets.class)
public final class EditorAssets implements WebAssets {

    static final String ROOT = "io/qflow/editor/app/";
    /** Vite names every file under assets/ after its content hash. */
    static final String HASHED_FOLDER = "assets/";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "woff2", "font/woff2",
            "map", "application/json");

    private final ClassLoader loader;
    /** Found files; a missing one is looked up again (cheap, and rare: typos and probes). */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    public EditorAssets() {
        this(EditorAssets.class.getClassLoader());
    }

    EditorAssets(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public Optional<Asset> find(String path) {
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return Optional.empty();
        }
        Asset cached = cache.get(path);
        if (cached != null) {
            return Optional.of(cached);
        }
        URL url = loader.getResource(ROOT + path);
        if (url == null) {
            return Optional.empty();
        }
        Asset asset = new Asset(contentType(path), read(url), path.startsWith(HASHED_FOLDER));
        cache.put(path, asset);
        return Optional.of(asset);
    }

    static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static byte[] read(URL url) {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }
}

package io.qflow.editor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.rest.spi.WebAssets.Asset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The built app is packed and served with the right types and cache policy (runs after npm run build). */
class EditorAssetsTest {

    private final EditorAssets assets = new EditorAssets();

    @Test
    void indexIsPackedAndNotCachedForever() {
        Asset index = assets.find("index.html").orElseThrow(() -> new AssertionError("index.html is not in the bundle: did npm run build run?"));
        assertEquals("text/html; charset=utf-8", index.contentType());
        assertFalse(index.immutable());
        assertTrue(new String(index.content(), StandardCharsets.UTF_8).contains("<div id=\"app\">"));
    }

    @Test
    void everyScriptTheIndexNamesIsThereAndHashed() throws Exception {
        String index = new String(assets.find("index.html").orElseThrow().content(), StandardCharsets.UTF_8);
        java.util.regex.Matcher scripts = java.util.regex.Pattern.compile("src=\"/(assets/[^\"]+\\.js)\"").matcher(index);
        assertTrue(scripts.find(), index);
        Asset script = assets.find(scripts.group(1)).orElseThrow();
        assertTrue(script.immutable());
        assertEquals("text/javascript; charset=utf-8", script.contentType());
        try (Stream<Path> files = Files.list(Path.of("target", "classes", EditorAssets.ROOT, "assets"))) {
            assertTrue(files.anyMatch(file -> file.getFileName().toString().endsWith(".css")));
        }
    }

    @Test
    void missingFilesAndFoldersAreEmpty() {
        assertTrue(assets.find("nothing-here.js").isEmpty());
        assertTrue(assets.find("assets/").isEmpty());
        assertTrue(assets.find("").isEmpty());
        assertEquals("application/octet-stream", EditorAssets.contentType("x.bin"));
    }
}

package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.rest.spi.WebAssets;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The editor's files at {@code /}: served while a WebAssets is there, the placeholder otherwise, the API untouched. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAssetsRestTest {

    private static final String INDEX = "<!doctype html><title>editor</title><div id=app></div>";
    private static final String SCRIPT = "console.log('qflow')";

    /** What a WebAssets service would be; swapped while the server runs, like the DS reference. */
    private final AtomicReference<WebAssets> current = new AtomicReference<>();
    private TestClient client;

    @BeforeAll
    void start() {
        client = new TestClient(new FakeServices().api(RestSettings.forTests())
                .serveWebAssets(() -> Optional.ofNullable(current.get())));
    }

    @AfterAll
    void stop() {
        client.close();
    }

    private static WebAssets files(Map<String, WebAssets.Asset> files) {
        return path -> Optional.ofNullable(files.get(path));
    }

    private void withEditor() {
        current.set(files(Map.of(
                "index.html", new WebAssets.Asset("text/html; charset=utf-8", INDEX.getBytes(StandardCharsets.UTF_8), false),
                "assets/app-1a2b.js", new WebAssets.Asset("text/javascript; charset=utf-8", SCRIPT.getBytes(StandardCharsets.UTF_8), true))));
    }

    @Test
    void withoutEditorTheStartPageIsThePlaceholderAndFilesAre404() {
        current.set(null);
        TestClient.Response root = client.get("/");
        assertEquals(200, root.status());
        assertTrue(root.text().contains("REST API is up"), root.text());
        assertEquals(404, client.get("/assets/app-1a2b.js").status());
    }

    @Test
    void withEditorItsIndexAndHashedFilesAreServedWithTheirCachePolicy() {
        withEditor();
        TestClient.Response root = client.get("/");
        assertEquals(200, root.status());
        assertEquals(INDEX, root.text());
        assertEquals("no-cache", root.header("Cache-Control"));

        TestClient.Response script = client.get("/assets/app-1a2b.js");
        assertEquals(200, script.status());
        assertEquals(SCRIPT, script.text());
        assertTrue(script.contentType().startsWith("text/javascript"), script.contentType());
        assertEquals(WebAssetHandler.CACHE_IMMUTABLE, script.header("Cache-Control"));
    }

    @Test
    void appRoutesFallBackToIndexButMissingFilesAndApiPathsDoNot() {
        withEditor();
        TestClient.Response route = client.send(HttpRequest.newBuilder(client.uri("/workflows/hello")).header("Accept", "text/html").GET());
        assertEquals(200, route.status());
        assertEquals(INDEX, route.text());
        assertEquals(404, client.get("/assets/missing-0000.js").status());
        TestClient.Response api = client.get("/api/v1/nowhere");
        assertEquals(404, api.status());
        assertTrue(api.contentType().startsWith("application/problem+json"), api.contentType());
        assertEquals(200, client.get("/api/v1/health").status());
    }

    @Test
    void traversalNeverReachesTheProvider() {
        assertTrue(!WebAssetHandler.safe("/../etc/passwd"));
        assertTrue(!WebAssetHandler.safe("/assets/../../x"));
        assertTrue(!WebAssetHandler.safe("/a\\b"));
        assertTrue(WebAssetHandler.safe("/assets/app-1a2b.js"));
    }

    @Test
    void theEditorMayLeaveWhileTheServerRuns() {
        withEditor();
        assertEquals(INDEX, client.get("/").text());
        current.set(null);
        assertTrue(client.get("/").text().contains("REST API is up"));
    }
}

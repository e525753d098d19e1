package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.engine.NodeCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Health, the OpenAPI document, the start page and (for the benchmark only) the plain baseline route. */
final class SystemRoutes {

    static final String OPENAPI_RESOURCE = "openapi.json";
    static final String START_PAGE_RESOURCE = "index.html";

    private final NodeCatalog catalog;
    private final JsonHttp json;
    private final RestSettings settings;
    private final byte[] openApi;
    private final byte[] startPage;
    private final WebAssetHandler webAssets;
    private static final JsonNode EMPTY = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    SystemRoutes(NodeCatalog catalog, JsonHttp json, RestSettings settings, WebAssetHandler webAssets) {
        this.webAssets = webAssets;
        this.catalog = catalog;
        this.json = json;
        this.settings = settings;
        this.openApi = resource(OPENAPI_RESOURCE);
        this.startPage = resource(START_PAGE_RESOURCE);
    }

    void register(RoutesConfig routes) {
        routes.get("/", this::startPage);
        // Browsers ask for /favicon.ico on a page that declares no icon (an API answer opened in a
        // tab, say; the editor declares an empty one). 204 says there is none, where a 404 put a
        // failed request into the browser's console.
        routes.get("/favicon.ico", ctx -> ctx.status(204).header("Cache-Control", "max-age=86400"));
        routes.get(RestApi.BASE + "/health", this::health);
        routes.get(RestApi.BASE + "/openapi.json", ctx -> ctx.contentType(JsonHttp.JSON).result(openApi));
        if (settings.benchPlain()) {
            routes.post(RestApi.BASE + "/_plain", this::plain);
        }
    }

    /** The editor's index.html while an editor bundle provides WebAssets; the placeholder page otherwise. */
    private void startPage(Context ctx) {
        webAssets.index().ifPresentOrElse(index -> WebAssetHandler.send(ctx, index),
                () -> ctx.header("Cache-Control", WebAssetHandler.CACHE_NONE).contentType("text/html; charset=utf-8").result(startPage));
    }

    private void health(Context ctx) throws Exception {
        // The launcher sets qflow.ready=false until every feature bundle has started, so a client
        // that sees UP can use every built-in node type; embedded outside the launcher it is unset.
        boolean ready = !"false".equals(System.getProperty("qflow.ready"));
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", ready ? "UP" : "STARTING");
        health.put("version", settings.version());
        health.put("nodeTypes", catalog.descriptors().size());
        json.respond(ctx, ready ? 200 : 503, health);
    }

    /**
     * The benchmark's baseline: reads and parses a JSON object and answers it back, serialised
     * again; no engine. The benchmark posts it a run's answer, so it returns the same JSON as
     * run-and-wait: the difference between the two is what the engine and the store cost.
     */
    private void plain(Context ctx) throws Exception {
        JsonNode body = json.readOptional(ctx);
        if (body != null && !body.isObject()) {
            throw ApiProblem.invalid("The body must be a JSON object.");
        }
        json.respond(ctx, 200, body == null ? EMPTY : body);
    }

    static byte[] resource(String name) {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}

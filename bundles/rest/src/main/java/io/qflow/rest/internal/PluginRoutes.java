package io.qflow.rest.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.PluginInfo;
import io.qflow.engine.PluginInventory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Installed bundles, JAR upload (multipart or raw) and removal of hot-deployed plugins. */
final class PluginRoutes {

    private final PluginInventory plugins;
    private final JsonHttp json;
    private final long maxUploadBytes;

    PluginRoutes(PluginInventory plugins, JsonHttp json, long maxUploadBytes) {
        this.plugins = plugins;
        this.json = json;
        this.maxUploadBytes = maxUploadBytes;
    }

    void register(RoutesConfig routes) {
        routes.get(RestApi.BASE + "/plugins", ctx -> json.respond(ctx, 200, plugins.plugins()));
        routes.post(RestApi.BASE + "/plugins", this::upload);
        routes.get(RestApi.BASE + "/plugins/{id}", ctx -> json.respond(ctx, 200, find(ctx)));
        routes.delete(RestApi.BASE + "/plugins/{id}", this::remove);
    }

    private void upload(Context ctx) throws Exception {
        String contentType = ctx.req().getContentType();
        String media = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String fileName;
        InputStream content;
        if (media.startsWith("multipart/form-data")) {
            if (ctx.req().getContentLengthLong() > maxUploadBytes) {
                throw JsonHttp.tooLarge(maxUploadBytes);
            }
            UploadedFile file = multipartFile(ctx);
            if (file == null) {
                throw ApiProblem.invalid("The multipart body needs the JAR in a part named 'file'.");
            }
            fileName = file.filename();
            content = file.content();
        } else if (media.startsWith("application/java-archive") || media.startsWith("application/octet-stream")) {
            fileName = ctx.queryParam("filename");
            if (fileName == null || fileName.isBlank()) {
                throw ApiProblem.invalid("A raw JAR upload needs the query parameter 'filename'.");
            }
            content = new ByteArrayInputStream(JsonHttp.readBytes(ctx, maxUploadBytes));
        } else {
            throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Upload a plugin as multipart/form-data (part 'file') "
                    + "or as an application/java-archive body with ?filename=, not " + (contentType == null ? "no content type" : contentType) + ".");
        }
        String stored;
        try (InputStream in = content) {
            stored = plugins.upload(fileName, in);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("fileName", fileName);
        answer.put("stored", stored);
        answer.put("detail", "The plugin folder picks the JAR up within about a second; GET /api/v1/plugins shows its state.");
        json.respond(ctx, 202, answer);
    }

    private static UploadedFile multipartFile(Context ctx) {
        try {
            return ctx.uploadedFile("file");
        } catch (RuntimeException e) {
            // Jetty's multipart parser reports a broken or oversized body as a runtime exception.
            throw ApiProblem.invalid("Cannot read the multipart body: " + e.getMessage());
        }
    }

    private void remove(Context ctx) throws Exception {
        plugins.remove(id(ctx));
        ctx.status(204);
    }

    private PluginInfo find(Context ctx) throws NotFoundException {
        long id = id(ctx);
        return plugins.plugin(id).orElseThrow(() -> new NotFoundException("No bundle with id " + id + "."));
    }

    private static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("No bundle with id '" + text + "': bundle ids are numbers.");
        }
    }
}

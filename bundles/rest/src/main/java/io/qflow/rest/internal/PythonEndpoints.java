package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.qflow.python.PythonException;
import io.qflow.python.PythonService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The handlers of {@link PythonRoutes} against one present {@link PythonService}. Kept apart from
 * {@link PythonRoutes} because this class names the adapter's types: it is loaded only once the
 * adapter is there, so the REST bundle starts and answers 503 without the adapter's package.
 * A {@link PythonException} becomes problem+json with the adapter's {@code code} and, when there is
 * one, pip's {@code output} or the traceback.
 */
final class PythonEndpoints {

    private static final String EVENT_STREAM = "text/event-stream";

    private final PythonService service;
    private final JsonHttp json;
    private final long maxUploadBytes;

    PythonEndpoints(Object service, JsonHttp json, long maxUploadBytes) {
        this.service = (PythonService) service;
        this.json = json;
        this.maxUploadBytes = maxUploadBytes;
    }

    private interface Call {
        Object run() throws Exception;
    }

    private void answer(Context ctx, int status, Call call) throws Exception {
        try {
            json.respond(ctx, status, call.run());
        } catch (PythonException e) {
            write(ctx, e);
        }
    }

    void analyze(Context ctx) throws Exception {
        JsonNode request = codeRequest(ctx);
        answer(ctx, 200, () -> service.analyze(request));
    }

    void test(Context ctx) throws Exception {
        JsonNode request = json.readObject(ctx);
        answer(ctx, 200, () -> service.test(request));
    }

    void nodes(Context ctx) throws Exception {
        json.respond(ctx, 200, service.nodes());
    }

    void saveNode(Context ctx) throws Exception {
        JsonNode request = json.readObject(ctx);
        answer(ctx, 201, () -> service.saveNode(request));
    }

    void node(Context ctx) throws Exception {
        String name = ctx.pathParam("name");
        json.respond(ctx, 200, service.node(name).orElseThrow(() -> ApiProblem.notFound("No saved Python node '" + name + "'.")));
    }

    void deleteNode(Context ctx) {
        String name = ctx.pathParam("name");
        if (!service.deleteNode(name)) {
            throw ApiProblem.notFound("No saved Python node '" + name + "'.");
        }
        ctx.status(204);
    }

    void interpreters(Context ctx) throws Exception {
        json.respond(ctx, 200, service.interpreters());
    }

    void environments(Context ctx) throws Exception {
        json.respond(ctx, 200, service.environments());
    }

    void workers(Context ctx) throws Exception {
        json.respond(ctx, 200, service.workerPools());
    }

    /** The code to analyse: a JSON body {@code {"code": ...}} or a multipart upload of a .py file (part {@code file}). */
    private JsonNode codeRequest(Context ctx) throws IOException {
        String contentType = ctx.req().getContentType();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            if (ctx.req().getContentLengthLong() > maxUploadBytes) {
                throw JsonHttp.tooLarge(maxUploadBytes);
            }
            UploadedFile file;
            try {
                file = ctx.uploadedFile("file");
            } catch (RuntimeException e) {
                throw ApiProblem.invalid("Cannot read the multipart body: " + e.getMessage());
            }
            if (file == null) {
                throw ApiProblem.invalid("The multipart body needs the Python file in a part named 'file'.");
            }
            ObjectNode request = json.mapper().createObjectNode();
            try (InputStream in = file.content()) {
                request.put("code", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            request.put("filename", file.filename());
            for (String field : new String[] {"python", "backend"}) {
                String value = ctx.formParam(field);
                if (value != null && !value.isBlank()) {
                    request.put(field, value);
                }
            }
            return request;
        }
        return json.readObject(ctx);
    }

    void prepareEnvironment(Context ctx) throws Exception {
        JsonNode request = json.readObject(ctx);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.toLowerCase(Locale.ROOT).contains(EVENT_STREAM)) {
            answer(ctx, 200, () -> service.prepareEnvironment(request, line -> { }));
            return;
        }
        // Server-Sent Events on a POST: pip's lines as "progress" events, then one "result" or "error" event.
        ctx.status(200);
        ctx.res().setContentType(EVENT_STREAM);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        try {
            JsonNode result = service.prepareEnvironment(request, line -> send(out, "progress", line));
            send(out, "result", json.mapper().writeValueAsString(result));
        } catch (PythonException e) {
            send(out, "error", json.mapper().writeValueAsString(problem(ctx, e)));
        }
    }

    private static void send(OutputStream out, String event, String data) {
        StringBuilder frame = new StringBuilder("event: ").append(event).append('\n');
        data.lines().forEach(line -> frame.append("data: ").append(line).append('\n'));
        if (data.isEmpty()) {
            frame.append("data: \n");
        }
        frame.append('\n');
        try {
            synchronized (out) {
                out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away; the build goes on, others may be waiting for it
        }
    }

    /** An {@link PythonException} as problem+json, with the adapter's code and, when there is one, pip's output or the traceback. */
    static ObjectNode problem(Context ctx, PythonException e) {
        ProblemType type = switch (e.kind()) {
            case BAD_REQUEST -> ProblemType.INVALID_REQUEST;
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case CONFLICT -> ProblemType.CONFLICT;
            case UNPROCESSABLE -> ProblemType.VALIDATION_FAILED;
            case UNAVAILABLE -> ProblemType.SERVICE_UNAVAILABLE;
        };
        ObjectNode p = RestJson.newMapper().createObjectNode();
        p.put("type", type.uri());
        p.put("title", type.title());
        p.put("status", type.status());
        p.put("detail", e.getMessage());
        p.put("instance", ctx.path());
        p.put("code", e.code());
        if (e.detail() != null) {
            p.put("output", e.detail());
        }
        if (!e.errors().isEmpty()) {
            ArrayNode errors = p.putArray("errors");
            e.errors().forEach(m -> errors.addObject().put("code", e.code()).put("message", m));
        }
        return p;
    }

    private void write(Context ctx, PythonException e) throws IOException {
        ObjectNode p = problem(ctx, e);
        ctx.status(p.get("status").asInt()).contentType(ProblemDocument.MEDIA_TYPE).result(json.mapper().writeValueAsBytes(p));
    }
}

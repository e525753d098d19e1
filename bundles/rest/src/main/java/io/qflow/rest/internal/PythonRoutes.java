package io.qflow.rest.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /api/v1/python/...}: analyse code, test a function, save functions as node types, list
 * interpreters and backends, build environments (pip's output streamed as Server-Sent Events when
 * the client accepts {@code text/event-stream}). The Python adapter is optional: while it is absent
 * these answer 503, and the server never restarts for it coming or going. This class names none of
 * the adapter's types (the handlers live in {@link PythonEndpoints}), so it loads without them.
 */
final class PythonRoutes {

    static final String BASE = RestApi.BASE + "/python";

    private final Supplier<Optional<Object>> python;
    private final JsonHttp json;
    private final long maxUploadBytes;

    /** {@code python} yields the current {@code io.qflow.python.PythonService}, if any. */
    PythonRoutes(Supplier<Optional<Object>> python, JsonHttp json, long maxUploadBytes) {
        this.python = python;
        this.json = json;
        this.maxUploadBytes = maxUploadBytes;
    }

    void register(RoutesConfig routes) {
        routes.post(BASE + "/analyze", ctx -> endpoints().analyze(ctx));
        routes.post(BASE + "/test", ctx -> endpoints().test(ctx));
        routes.get(BASE + "/nodes", ctx -> endpoints().nodes(ctx));
        routes.post(BASE + "/nodes", ctx -> endpoints().saveNode(ctx));
        routes.get(BASE + "/nodes/{name}", ctx -> endpoints().node(ctx));
        routes.delete(BASE + "/nodes/{name}", ctx -> endpoints().deleteNode(ctx));
        routes.get(BASE + "/interpreters", ctx -> endpoints().interpreters(ctx));
        routes.get(BASE + "/environments", ctx -> endpoints().environments(ctx));
        routes.post(BASE + "/environments", ctx -> endpoints().prepareEnvironment(ctx));
        routes.get(BASE + "/workers", ctx -> endpoints().workers(ctx));
    }

    private PythonEndpoints endpoints() {
        Object service = python.get().orElseThrow(() -> new ApiProblem(ProblemType.SERVICE_UNAVAILABLE,
                "Python is not available right now: the Python adapter (feature 'python', bundle io.qflow.python) is not running."));
        return new PythonEndpoints(service, json, maxUploadBytes);
    }
}

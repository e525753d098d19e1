package io.qflow.rest.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.sdk.trigger.WebhookRejection;
import io.qflow.sdk.trigger.WebhookRequest;
import io.qflow.sdk.trigger.WebhookResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Any method on {@code /webhook/{path}} and {@code /webhook-test/{path}}: finds the trigger that
 * claimed the path in {@link WebhookRegistry} and answers with what its handler returns. An unknown
 * path is a 404, a method the trigger does not take a 405, a body over the limit a 413 (before the
 * handler sees it), a {@link WebhookRejection} its 4xx; all as problem+json.
 */
final class WebhookRoutes {

    static final String LIVE = "/webhook";
    static final String TEST = "/webhook-test";

    private final java.util.function.Supplier<java.util.Optional<WebhookRegistry>> registries;

    WebhookRoutes(java.util.function.Supplier<java.util.Optional<WebhookRegistry>> registries) {
        this.registries = registries;
    }

    void register(RoutesConfig routes) {
        for (String base : List.of(LIVE, TEST)) {
            boolean test = base.equals(TEST);
            String path = base + "/{path}";
            routes.get(path, ctx -> handle(ctx, test));
            routes.post(path, ctx -> handle(ctx, test));
            routes.put(path, ctx -> handle(ctx, test));
            routes.patch(path, ctx -> handle(ctx, test));
            routes.delete(path, ctx -> handle(ctx, test));
            routes.head(path, ctx -> handle(ctx, test));
            routes.options(path, ctx -> handle(ctx, test));
        }
    }

    private void handle(Context ctx, boolean test) throws Exception {
        String path = ctx.pathParam("path");
        WebhookRegistry registry = registries.get().orElseThrow(() -> new ApiProblem(ProblemType.SERVICE_UNAVAILABLE,
                "Webhooks are not being served right now (the webhook registry is stopping or starting)."));
        WebhookRegistry.Endpoint endpoint = registry.find(path, test);
        if (endpoint == null) {
            throw ApiProblem.notFound(test
                    ? "No workflow listens for a test event on '" + path + "': start one with POST "
                            + RestApi.BASE + "/workflows/{id}/listen, then call this URL."
                    : "No active workflow has the webhook path '" + path + "'.");
        }
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        if (!endpoint.allows(method)) {
            throw new ApiProblem(ProblemType.METHOD_NOT_ALLOWED, "The webhook '" + path + "' of workflow '" + endpoint.owner()
                    + "' takes " + String.join(", ", endpoint.methods()) + ", not " + method + ".");
        }
        byte[] body = JsonHttp.readBytes(ctx, registry.maxBodyBytes());
        WebhookRequest request = new WebhookRequest(method, endpoint.path(), test, headers(ctx), query(ctx), body,
                ctx.req().getContentType());
        WebhookResponse response;
        try {
            response = endpoint.handler().handle(request).toCompletableFuture().get();
        } catch (WebhookRejection rejection) {
            throw rejected(rejection);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebhookRejection rejection) {
                throw rejected(rejection);
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        if (response.contentType() != null) {
            ctx.contentType(response.contentType());
        }
        ctx.result(response.body());
    }

    private static ApiProblem rejected(WebhookRejection rejection) {
        ProblemType type = switch (rejection.status()) {
            case 401 -> ProblemType.UNAUTHORIZED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 409 -> ProblemType.CONFLICT;
            case 413 -> ProblemType.BODY_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 422 -> ProblemType.VALIDATION_FAILED;
            case 503 -> ProblemType.SERVICE_UNAVAILABLE;
            default -> ProblemType.INVALID_REQUEST;
        };
        return new ApiProblem(type, rejection.getMessage());
    }

    private static Map<String, List<String>> headers(Context ctx) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            out.put(name.toLowerCase(Locale.ROOT), List.copyOf(Collections.list(ctx.req().getHeaders(name))));
        }
        return out;
    }

    private static Map<String, List<String>> query(Context ctx) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((name, values) -> out.put(name, new ArrayList<>(values)));
        return out;
    }
}

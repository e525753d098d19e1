package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.engine.TriggerService;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Workflow activation: activate, deactivate, trigger status, and listening once for a test event.
 * The trigger service is optional (it needs a document store): while it is absent these answer 503.
 */
final class TriggerRoutes {

    static final int DEFAULT_LISTEN_SECONDS = 120;
    static final int MAX_LISTEN_SECONDS = 3600;

    private final Supplier<Optional<TriggerService>> triggers;
    private final JsonHttp json;

    TriggerRoutes(Supplier<Optional<TriggerService>> triggers, JsonHttp json) {
        this.triggers = triggers;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.post(RestApi.BASE + "/workflows/{id}/activate", ctx -> json.respond(ctx, 200, service().activate(ctx.pathParam("id"))));
        routes.post(RestApi.BASE + "/workflows/{id}/deactivate", ctx -> json.respond(ctx, 200, service().deactivate(ctx.pathParam("id"))));
        routes.get(RestApi.BASE + "/workflows/{id}/triggers", ctx -> json.respond(ctx, 200, service().status(ctx.pathParam("id"))));
        routes.post(RestApi.BASE + "/workflows/{id}/listen", this::listen);
        routes.get(RestApi.BASE + "/activations", ctx -> json.respond(ctx, 200, service().activations()));
    }

    private void listen(Context ctx) throws Exception {
        JsonNode body = json.readOptional(ctx);
        int seconds = DEFAULT_LISTEN_SECONDS;
        if (body != null && body.has("timeoutSeconds")) {
            JsonNode value = body.get("timeoutSeconds");
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1 || value.intValue() > MAX_LISTEN_SECONDS) {
                throw ApiProblem.invalid("timeoutSeconds must be a whole number from 1 to " + MAX_LISTEN_SECONDS + ", not " + value + ".");
            }
            seconds = value.intValue();
        }
        json.respond(ctx, 200, service().listenOnce(ctx.pathParam("id"), Duration.ofSeconds(seconds)));
    }

    private TriggerService service() {
        return triggers.get().orElseThrow(() -> new ApiProblem(ProblemType.SERVICE_UNAVAILABLE,
                "Workflow activation is not available right now: the trigger service (engine with a document store) is not running."));
    }
}

package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.engine.CredentialService;
import io.qflow.engine.NotFoundException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Credentials: list (names, fields, dates), put and delete. No route answers a value: once stored, a
 * credential is only read by the engine, where a config says {@code {{ secrets.<name> }}}. The service
 * needs a document store, so while it is absent these answer 503.
 */
final class CredentialRoutes {

    private final Supplier<Optional<CredentialService>> credentials;
    private final JsonHttp json;

    CredentialRoutes(Supplier<Optional<CredentialService>> credentials, JsonHttp json) {
        this.credentials = credentials;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.get(RestApi.BASE + "/credentials", ctx -> json.respond(ctx, 200, service().list()));
        routes.put(RestApi.BASE + "/credentials/{name}", this::put);
        routes.delete(RestApi.BASE + "/credentials/{name}", this::delete);
    }

    private void put(Context ctx) throws Exception {
        ObjectNode body = json.readObject(ctx);
        JsonNode value = body.get("value");
        if (value == null) {
            throw ApiProblem.invalid("The body needs the credential as \"value\": {\"value\": \"s3cret\"} or "
                    + "{\"value\": {\"user\": \"...\", \"password\": \"...\"}}.");
        }
        json.respond(ctx, 200, service().put(ctx.pathParam("name"), value));
    }

    private void delete(Context ctx) throws Exception {
        String name = ctx.pathParam("name");
        if (!service().delete(name)) {
            throw new NotFoundException("no credential named '" + name + "'");
        }
        ctx.status(204);
    }

    private CredentialService service() {
        return credentials.get().orElseThrow(() -> new ApiProblem(ProblemType.SERVICE_UNAVAILABLE,
                "Credentials are not available right now: the credential service (engine with a document store) is not running."));
    }
}

package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.qflow.engine.ConflictException;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.Problem;
import io.qflow.engine.ValidationException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@code application/problem+json} answer: the client's mistakes
 * ({@link ApiProblem}), the engine's checked exceptions, Javalin's own responses (unknown route,
 * wrong method) and, last, unexpected exceptions, which are logged with a correlation id.
 */
final class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private final ObjectMapper mapper;

    ProblemResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(RoutesConfig routes) {
        routes.exception(ApiProblem.class, (e, ctx) -> send(ctx, e.type(), e.getMessage(), null, null));
        routes.exception(NotFoundException.class, (e, ctx) -> send(ctx, ProblemType.NOT_FOUND, e.getMessage(), null, null));
        routes.exception(ConflictException.class, (e, ctx) -> send(ctx, ProblemType.CONFLICT, e.getMessage(), null, null));
        routes.exception(ValidationException.class,
                (e, ctx) -> send(ctx, ProblemType.VALIDATION_FAILED, e.getMessage(), e.problems(), null));
        routes.exception(HttpResponseException.class, this::sendJavalinResponse);
        routes.exception(Exception.class, this::sendInternalError);
    }

    private void sendJavalinResponse(HttpResponseException e, Context ctx) {
        ProblemType type = switch (e.getStatus()) {
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 413 -> ProblemType.BODY_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> null;
        };
        if (type == null) {
            int status = e.getStatus();
            send(ctx, status >= 500 ? ProblemType.INTERNAL_ERROR : ProblemType.INVALID_REQUEST, status, e.getMessage(), null, null);
        } else {
            String detail = type == ProblemType.NOT_FOUND || type == ProblemType.METHOD_NOT_ALLOWED
                    ? "No route for " + ctx.method().name() + " " + ctx.path() + "."
                    : e.getMessage();
            send(ctx, type, detail, null, null);
        }
    }

    private void sendInternalError(Exception e, Context ctx) {
        String correlationId = UUID.randomUUID().toString();
        LOG.error("Internal error {} answering {} {}", correlationId, ctx.method().name(), ctx.path(), e);
        send(ctx, ProblemType.INTERNAL_ERROR,
                "The server failed to answer; the log has the details under correlation id " + correlationId + ".",
                null, correlationId);
    }

    void send(Context ctx, ProblemType type, String detail, List<Problem> errors, String correlationId) {
        send(ctx, type, type.status(), detail, errors, correlationId);
    }

    private void send(Context ctx, ProblemType type, int status, String detail, List<Problem> errors, String correlationId) {
        ProblemDocument problem = new ProblemDocument(type.uri(), type.title(), status, detail, ctx.path(), errors, correlationId);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(problem);
        } catch (Exception impossible) {
            // A record of strings cannot fail to serialize; if it ever does, still answer.
            LOG.error("Cannot write problem document", impossible);
            body = ("{\"type\":\"" + ProblemType.INTERNAL_ERROR.uri() + "\",\"status\":500}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            status = 500;
        }
        ctx.status(status).contentType(ProblemDocument.MEDIA_TYPE).result(body);
    }
}

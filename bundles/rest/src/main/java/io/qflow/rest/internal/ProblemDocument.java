package io.qflow.rest.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.qflow.engine.Problem;
import java.util.List;

/**
 * An RFC 9457 problem, the body of every error response ({@code application/problem+json}).
 *
 * @param type          a URN naming the kind of problem, e.g. {@code urn:qflow:problem:not-found}
 * @param title         short, the same for every problem of that type
 * @param status        the HTTP status
 * @param detail        what happened this time
 * @param instance      the request path
 * @param errors        validation problems, for {@code validation-failed}
 * @param correlationId for internal errors: the id logged with the stack trace
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDocument(String type, String title, int status, String detail, String instance,
                              List<Problem> errors, String correlationId) {

    public static final String MEDIA_TYPE = "application/problem+json";
}

package io.qflow.rest.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads JSON request bodies (with the size limit, content-type check and precise syntax errors)
 * and writes JSON responses with the shared mapper. Thread-safe.
 */
public final class JsonHttp {

    public static final String JSON = "application/json";

    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    public JsonHttp(ObjectMapper mapper, long maxBodyBytes) {
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Writes {@code value} as the JSON response with the given status. */
    public void respond(Context ctx, int status, Object value) throws JsonProcessingException {
        ctx.status(status).contentType(JSON).result(mapper.writeValueAsBytes(value));
    }

    /** Answers with JSON already written (by this API's mapper or in the same form). */
    public void respondJson(Context ctx, int status, byte[] json) {
        ctx.status(status).contentType(JSON).result(json);
    }

    /** The body as JSON, or {@code null} when the request has no body. */
    public JsonNode readOptional(Context ctx) throws IOException {
        byte[] body = readBytes(ctx, maxBodyBytes);
        if (body.length == 0) {
            return null;
        }
        requireJsonContentType(ctx);
        try {
            JsonNode node = mapper.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** The body, which must be a JSON object. */
    public ObjectNode readObject(Context ctx) throws IOException {
        JsonNode node = readOptional(ctx);
        if (node == null) {
            throw ApiProblem.invalid("The request needs a JSON object as its body.");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiProblem.invalid("The body must be a JSON object, not " + kind(node) + ".");
        }
        return object;
    }

    /**
     * Reads the whole body, refusing more than {@code limit} bytes: up front when Content-Length
     * says so, otherwise as soon as the stream passes the limit (chunked bodies).
     */
    public static byte[] readBytes(Context ctx, long limit) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        if (declared == 0) {
            return new byte[0];
        }
        InputStream in = ctx.req().getInputStream();
        byte[] body = in.readNBytes(declared > 0 ? (int) declared : (int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return body;
    }

    static ApiProblem tooLarge(long limit) {
        return new ApiProblem(ProblemType.BODY_TOO_LARGE, "The request body is larger than the limit of " + limit + " bytes.");
    }

    private static void requireJsonContentType(Context ctx) {
        String contentType = ctx.req().getContentType();
        // A missing Content-Type is read as JSON: curl and scripts often leave it out.
        if (contentType != null && !isJson(contentType)) {
            throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as application/json, not " + contentType + ".");
        }
    }

    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return media.equals(JSON) || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static ApiProblem malformed(JacksonException e) {
        JsonLocation where = e.getLocation();
        String message = e.getOriginalMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return new ApiProblem(ProblemType.MALFORMED_JSON, "The body is not valid JSON" + position + ": " + message);
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}

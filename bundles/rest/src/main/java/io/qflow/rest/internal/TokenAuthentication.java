package io.qflow.rest.internal;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/**
 * The before-handler that asks every {@code /api/v1} request for {@code Authorization: Bearer <token>}
 * and the role the request needs ({@link #requiredRole}). Registered only when tokens are
 * configured. A missing or unknown token is a 401 with {@code WWW-Authenticate: Bearer}, a token
 * whose role is too small a 403 naming the role needed.
 */
final class TokenAuthentication implements Handler {

    private static final String BEARER = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"qflow\"";
    /** Paths under which an editor may write. */
    private static final List<String> EDITOR_WRITES = List.of("/workflows", "/executions", "/python", "/credentials");
    /** The query parameter the event streams accept instead of the Authorization header. */
    static final String ACCESS_TOKEN = "access_token";
    private static final java.util.regex.Pattern STREAMS = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(RestApi.BASE) + "((/executions/[^/]+)?/(events|ws)|/node-types/events)");

    private final ApiTokens tokens;

    TokenAuthentication(ApiTokens tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public void handle(Context ctx) {
        Role needed = requiredRole(ctx.method(), ctx.path());
        if (needed == null) {
            return;
        }
        String authorization = ctx.header("Authorization");
        if ((authorization == null || authorization.isBlank()) && isStream(ctx.path()) && ctx.queryParam(ACCESS_TOKEN) != null) {
            // Browsers' EventSource and WebSocket cannot send headers: the event streams also take the token in the query.
            authorization = BEARER + ctx.queryParam(ACCESS_TOKEN);
        }
        if (authorization == null || authorization.isBlank()) {
            ctx.header("WWW-Authenticate", CHALLENGE);
            throw new ApiProblem(ProblemType.UNAUTHORIZED, "This request needs an 'Authorization: Bearer <token>' header.");
        }
        Role role = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? tokens.roleOf(authorization.substring(BEARER.length()).trim())
                : null;
        if (role == null) {
            ctx.header("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
            throw new ApiProblem(ProblemType.UNAUTHORIZED, "The bearer token is not valid.");
        }
        if (!role.includes(needed)) {
            throw new ApiProblem(ProblemType.FORBIDDEN, ctx.method().name() + " " + ctx.path() + " needs the role '"
                    + needed + "'; this token has the role '" + role + "'.");
        }
    }

    /** The live event streams (SSE and WebSocket), which take {@code ?access_token=} too. */
    static boolean isStream(String path) {
        return STREAMS.matcher(path).matches();
    }

    /**
     * The least role that may send {@code method} to {@code path}, or null when the request needs
     * no token: GET of health and of the OpenAPI document, and everything outside {@code /api/v1}
     * but {@code /metrics} (viewer). Reads need viewer; writes to workflows and executions editor; every other write admin.
     */
    static Role requiredRole(HandlerType method, String path) {
        if (path.equals(MetricsRoutes.PATH)) {
            return Role.VIEWER;
        }
        if (!path.equals(RestApi.BASE) && !path.startsWith(RestApi.BASE + "/")) {
            return null;
        }
        boolean read = method == HandlerType.GET || method == HandlerType.HEAD;
        if (read && (path.equals(RestApi.BASE + "/health") || path.equals(RestApi.BASE + "/openapi.json"))) {
            return null;
        }
        if (read) {
            return Role.VIEWER;
        }
        String rest = path.substring(RestApi.BASE.length());
        // Paths with dot segments or doubled slashes never get the editor's allowance.
        boolean plain = !rest.contains("//") && !rest.contains("/.") && !rest.contains("\\") && !rest.contains("%");
        if (plain) {
            for (String prefix : EDITOR_WRITES) {
                if (rest.equals(prefix) || rest.startsWith(prefix + "/")) {
                    return Role.EDITOR;
                }
            }
        }
        return Role.ADMIN;
    }
}

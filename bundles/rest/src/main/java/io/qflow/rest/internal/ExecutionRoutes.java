package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.engine.EncodedExecution;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.ValidationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Starting runs (optionally waiting for the result), history with paging, one run, cancel, resume, retry. */
final class ExecutionRoutes {

    static final int DEFAULT_WAIT_SECONDS = 60;
    static final int MAX_WAIT_SECONDS = 3600;
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 1000;
    private static final Set<String> RUN_FIELDS = Set.of("input", "wait", "timeoutSeconds");
    private static final Set<String> RESUME_FIELDS = Set.of("node", "decision", "data");
    private static final Set<String> RETRY_FIELDS = Set.of("from", "workflowVersion");

    private final ExecutionService executions;
    private final JsonHttp json;

    ExecutionRoutes(ExecutionService executions, JsonHttp json) {
        this.executions = executions;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.post(RestApi.BASE + "/workflows/{id}/executions", this::start);
        routes.get(RestApi.BASE + "/executions", this::list);
        routes.get(RestApi.BASE + "/executions/{id}", this::get);
        routes.post(RestApi.BASE + "/executions/{id}/cancel", this::cancel);
        routes.post(RestApi.BASE + "/executions/{id}/resume", this::resume);
        routes.post(RestApi.BASE + "/executions/{id}/retry", this::retry);
    }

    /** What {@code POST /workflows/{id}/executions} asks for. */
    record RunRequest(JsonNode input, boolean waitForResult, Duration timeout) {

        static RunRequest parse(JsonNode body) {
            if (body == null) {
                return new RunRequest(null, false, Duration.ofSeconds(DEFAULT_WAIT_SECONDS));
            }
            if (!(body instanceof ObjectNode object)) {
                throw ApiProblem.invalid("The body must be a JSON object such as {\"input\": {...}, \"wait\": true}, not "
                        + JsonHttp.kind(body) + ".");
            }
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!RUN_FIELDS.contains(name)) {
                    throw ApiProblem.invalid("Unknown field '" + name + "'; a run request has input, wait and timeoutSeconds.");
                }
            }
            JsonNode wait = object.get("wait");
            if (wait != null && !wait.isBoolean() && !wait.isNull()) {
                throw ApiProblem.invalid("'wait' must be true or false.");
            }
            JsonNode timeout = object.get("timeoutSeconds");
            int seconds = DEFAULT_WAIT_SECONDS;
            if (timeout != null && !timeout.isNull()) {
                if (!timeout.isIntegralNumber() || timeout.asLong() < 1 || timeout.asLong() > MAX_WAIT_SECONDS) {
                    throw ApiProblem.invalid("'timeoutSeconds' must be a whole number from 1 to " + MAX_WAIT_SECONDS + ".");
                }
                seconds = timeout.intValue();
            }
            JsonNode input = object.get("input");
            return new RunRequest(input == null || input.isNull() ? null : input,
                    wait != null && wait.asBoolean(), Duration.ofSeconds(seconds));
        }
    }

    /** What {@code POST /executions/{id}/resume} asks for: a decision for one waiting node. */
    record ResumeRequest(String node, String decision, JsonNode data) {

        static ResumeRequest parse(JsonNode body) {
            if (!(body instanceof ObjectNode object)) {
                throw ApiProblem.invalid("The body must be a JSON object such as {\"node\": \"approve\", \"decision\": \"approve\", "
                        + "\"data\": {...}}, not " + (body == null ? "empty" : JsonHttp.kind(body)) + ".");
            }
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!RESUME_FIELDS.contains(name)) {
                    throw ApiProblem.invalid("Unknown field '" + name + "'; a resume request has node, decision and data.");
                }
            }
            JsonNode data = object.get("data");
            if (data != null && !data.isNull() && !data.isObject()) {
                throw ApiProblem.invalid("'data' must be a JSON object, not " + JsonHttp.kind(data) + ".");
            }
            return new ResumeRequest(requiredText(object, "node"), requiredText(object, "decision"),
                    data == null || data.isNull() ? null : data);
        }

        private static String requiredText(ObjectNode object, String field) {
            JsonNode value = object.get(field);
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw ApiProblem.invalid("'" + field + "' is required and must be a non-empty string.");
            }
            return value.textValue();
        }
    }

    /**
     * What {@code POST /executions/{id}/retry} asks for: {@code from} {@code failed} (default) or
     * {@code start}; {@code workflowVersion} {@code current} (default) or {@code original}.
     */
    record RetryRequest(boolean fromStart, boolean currentVersion) {

        static RetryRequest parse(JsonNode body) {
            if (body == null) {
                return new RetryRequest(false, true);
            }
            if (!(body instanceof ObjectNode object)) {
                throw ApiProblem.invalid("The body must be a JSON object such as {\"from\": \"start\", \"workflowVersion\": \"current\"}, not "
                        + JsonHttp.kind(body) + ".");
            }
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!RETRY_FIELDS.contains(name)) {
                    throw ApiProblem.invalid("Unknown field '" + name + "'; a retry request has from and workflowVersion.");
                }
            }
            String from = choice(object, "from", "failed", "start");
            String version = choice(object, "workflowVersion", "current", "original");
            return new RetryRequest("start".equals(from), "current".equals(version));
        }

        /** The field's value, one of {@code allowed}; the first when absent or null. */
        private static String choice(ObjectNode object, String field, String... allowed) {
            JsonNode value = object.get(field);
            if (value == null || value.isNull()) {
                return allowed[0];
            }
            if (value.isTextual() && Arrays.asList(allowed).contains(value.textValue())) {
                return value.textValue();
            }
            throw ApiProblem.invalid("'" + field + "' must be one of " + String.join(", ", allowed) + ", not " + value + ".");
        }
    }

    private void start(Context ctx) throws Exception {
        RunRequest request = RunRequest.parse(json.readOptional(ctx));
        EncodedExecution answer = request.waitForResult()
                ? run(ctx.pathParam("id"), request)
                : new EncodedExecution(executions.start(ctx.pathParam("id"), request.input(), "manual"), null);
        Execution execution = answer.execution();
        // A run waiting for a decision has settled too: the caller gets what it asks for at once.
        boolean settled = execution.status().isFinal() || execution.status() == ExecutionStatus.WAITING;
        int status = settled && request.waitForResult() ? 200 : 202;
        if (status == 202) {
            ctx.header("Location", RestApi.BASE + "/executions/" + execution.id());
        }
        if (answer.json() != null) {
            json.respondJson(ctx, status, answer.json()); // the engine's JSON form, which is ours
        } else {
            json.respond(ctx, status, execution);
        }
    }

    private EncodedExecution run(String workflowId, RunRequest request) throws NotFoundException, ValidationException {
        try {
            return executions.runEncoded(workflowId, request.input(), "manual", request.timeout());
        } catch (InterruptedException e) {
            // The server is stopping: the run goes on and is written before the engine stops.
            Thread.currentThread().interrupt();
            throw new ApiProblem(ProblemType.SERVICE_UNAVAILABLE, "The server is stopping; the run was accepted and goes on,"
                    + " see the workflow's executions once it is back.");
        }
    }

    private void list(Context ctx) throws Exception {
        int limit = limit(ctx.queryParam("limit"));
        // One more than asked tells whether another page exists.
        int fetch = Math.min(limit + 1, MAX_PAGE);
        ExecutionQuery query = new ExecutionQuery(blankToNull(ctx.queryParam("workflowId")),
                status(ctx.queryParam("status")), fetch, blankToNull(ctx.queryParam("before")));
        List<Execution> found = executions.list(query);
        boolean more = found.size() > limit || (found.size() == limit && fetch == limit);
        List<Execution> items = found.size() > limit ? found.subList(0, limit) : found;
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("next", more && !items.isEmpty() ? items.get(items.size() - 1).id() : null);
        json.respond(ctx, 200, page);
    }

    private void get(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        json.respond(ctx, 200, executions.get(id).orElseThrow(() -> new NotFoundException("No execution '" + id + "'.")));
    }

    private void cancel(Context ctx) throws Exception {
        json.respond(ctx, 200, executions.cancel(ctx.pathParam("id")));
    }

    private void resume(Context ctx) throws Exception {
        ResumeRequest request = ResumeRequest.parse(json.readOptional(ctx));
        json.respond(ctx, 200, executions.resume(ctx.pathParam("id"), request.node(), request.decision(), request.data()));
    }

    private void retry(Context ctx) throws Exception {
        RetryRequest request = RetryRequest.parse(json.readOptional(ctx));
        Execution retry = executions.retry(ctx.pathParam("id"), request.fromStart(), request.currentVersion());
        ctx.header("Location", RestApi.BASE + "/executions/" + retry.id());
        json.respond(ctx, 202, retry);
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_PAGE;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, with the allowed range
        }
        throw ApiProblem.invalid("Query parameter 'limit' must be a whole number from 1 to " + MAX_PAGE + ", not '" + text + "'.");
    }

    private static ExecutionStatus status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ExecutionStatus.fromJson(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("Query parameter 'status' must be one of "
                    + Arrays.stream(ExecutionStatus.values()).map(ExecutionStatus::json).collect(Collectors.joining(", "))
                    + ", not '" + text + "'.");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}

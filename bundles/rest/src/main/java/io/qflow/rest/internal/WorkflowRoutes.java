package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.Problem;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.WorkflowService;
import java.util.List;

/** Workflow documents: list, create, read (with availability), replace, delete, validate. */
final class WorkflowRoutes {

    /** Fields this API adds to a single workflow; dropped from incoming documents so GET then PUT works. */
    static final List<String> DERIVED_FIELDS = List.of("available", "problems");

    private final WorkflowService workflows;
    private final JsonHttp json;

    WorkflowRoutes(WorkflowService workflows, JsonHttp json) {
        this.workflows = workflows;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.get(RestApi.BASE + "/workflows", this::list);
        routes.post(RestApi.BASE + "/workflows", this::create);
        routes.post(RestApi.BASE + "/workflows/validate", this::validate);
        routes.get(RestApi.BASE + "/workflows/{id}", this::get);
        routes.put(RestApi.BASE + "/workflows/{id}", this::update);
        routes.delete(RestApi.BASE + "/workflows/{id}", this::delete);
    }

    private void list(Context ctx) throws Exception {
        ArrayNode out = json.mapper().createArrayNode();
        for (StoredWorkflow workflow : workflows.list()) {
            ObjectNode summary = out.addObject();
            summary.put("id", workflow.id());
            summary.put("name", workflow.name());
            summary.put("version", workflow.version());
            summary.putPOJO("createdAt", workflow.createdAt());
            summary.putPOJO("updatedAt", workflow.updatedAt());
        }
        json.respond(ctx, 200, out);
    }

    private void create(Context ctx) throws Exception {
        StoredWorkflow stored = workflows.create(document(ctx));
        ctx.header("Location", RestApi.BASE + "/workflows/" + stored.id());
        json.respond(ctx, 201, stored.document());
    }

    private void validate(Context ctx) throws Exception {
        json.respond(ctx, 200, workflows.validate(document(ctx)));
    }

    private void get(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        StoredWorkflow stored = workflows.get(id).orElseThrow(() -> missing(id));
        List<Problem> problems = workflows.availability(id);
        ObjectNode out = stored.document().deepCopy();
        out.put("available", problems.isEmpty());
        out.set("problems", json.mapper().valueToTree(problems));
        json.respond(ctx, 200, out);
    }

    private void update(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        ObjectNode document = document(ctx);
        if (document.hasNonNull("id") && !id.equals(document.get("id").asText())) {
            throw ApiProblem.invalid("The document's id '" + document.get("id").asText()
                    + "' does not match the id in the path '" + id + "'.");
        }
        json.respond(ctx, 200, workflows.update(id, document).document());
    }

    private void delete(Context ctx) throws Exception {
        workflows.delete(ctx.pathParam("id"));
        ctx.status(204);
    }

    private ObjectNode document(Context ctx) throws Exception {
        ObjectNode document = json.readObject(ctx);
        document.remove(DERIVED_FIELDS);
        return document;
    }

    static NotFoundException missing(String id) {
        return new NotFoundException("No workflow '" + id + "'.");
    }
}

package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.engine.NodeCatalog;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The live node catalogue: descriptors as the SDK defines them, plus where each comes from. */
final class NodeTypeRoutes {

    private final NodeCatalog catalog;
    private final JsonHttp json;

    NodeTypeRoutes(NodeCatalog catalog, JsonHttp json) {
        this.catalog = catalog;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.get(RestApi.BASE + "/node-types", this::list);
        // Before /node-types/{type}: "compatibility" and "events" cannot be type ids (those are dotted).
        routes.get(RestApi.BASE + "/node-types/compatibility", this::compatibility);
        routes.get(NodeTypeEvents.PATH, new NodeTypeEvents(catalog, json.mapper())::stream);
        routes.get(RestApi.BASE + "/node-types/{type}", this::one);
    }

    private void list(Context ctx) throws Exception {
        String category = ctx.queryParam("category");
        String query = ctx.queryParam("q");
        String needle = query == null || query.isBlank() ? null : query.trim().toLowerCase(Locale.ROOT);
        ArrayNode out = json.mapper().createArrayNode();
        for (NodeDescriptor descriptor : catalog.descriptors()) {
            if (category != null && !category.isBlank() && !category.trim().equalsIgnoreCase(descriptor.category())) {
                continue;
            }
            if (needle != null && !matches(descriptor, needle)) {
                continue;
            }
            out.add(withProvider(descriptor));
        }
        json.respond(ctx, 200, out);
    }

    private void one(Context ctx) throws Exception {
        String type = ctx.pathParam("type");
        NodeDescriptor descriptor = catalog.descriptor(type)
                .orElseThrow(() -> ApiProblem.notFound("No node type '" + type + "' is installed."));
        json.respond(ctx, 200, withProvider(descriptor));
    }

    private void compatibility(Context ctx) throws Exception {
        DataType source = dataType(ctx, "source");
        DataType target = dataType(ctx, "target");
        boolean compatible = target.accepts(source);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("source", source.toString());
        answer.put("target", target.toString());
        answer.put("compatible", compatible);
        answer.put("reason", compatible
                ? "A " + target + " input accepts values of type " + source + "."
                : "A " + target + " input does not accept values of type " + source + ".");
        json.respond(ctx, 200, answer);
    }

    private static DataType dataType(Context ctx, String parameter) {
        String text = ctx.queryParam(parameter);
        if (text == null || text.isBlank()) {
            throw ApiProblem.invalid("Query parameter '" + parameter + "' (a data type such as array<integer>) is required.");
        }
        try {
            return DataType.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("Query parameter '" + parameter + "': " + e.getMessage());
        }
    }

    private static boolean matches(NodeDescriptor descriptor, String needle) {
        return contains(descriptor.type(), needle) || contains(descriptor.name(), needle)
                || contains(descriptor.description(), needle) || contains(descriptor.category(), needle);
    }

    private static boolean contains(String text, String needle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
    }

    private ObjectNode withProvider(NodeDescriptor descriptor) {
        ObjectNode node = json.mapper().valueToTree(descriptor);
        node.put("provider", catalog.provider(descriptor.type()).orElse(null));
        return node;
    }
}

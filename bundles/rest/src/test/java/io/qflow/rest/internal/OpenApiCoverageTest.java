package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The hand-written OpenAPI document and the routes Javalin really has must list the same operations. */
class OpenApiCoverageTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    /** Registered only for the benchmark (qflow.bench.plain) and deliberately undocumented. */
    private static final String BENCH_ONLY = "POST /api/v1/_plain";

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationExists() throws Exception {
        // With tokens, so that the authentication before-handler is registered too (and left out: not an operation).
        Javalin app = new FakeServices().api(RestSettings.forTests().withBenchPlain(true)
                .withApiTokens(ApiTokens.parse("admin:secret"))).create();
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint endpoint : app.unsafe.internalRouter.allHttpHandlers()) {
            if (endpoint.endpoint.method.isHttpMethod()) {
                routes.add(endpoint.endpoint.method.name() + " " + endpoint.endpoint.path);
            }
        }
        assertTrue(routes.remove(BENCH_ONLY), "the bench route exists when enabled: " + routes);

        JsonNode openApi = TestClient.JSON.readTree(SystemRoutes.resource(SystemRoutes.OPENAPI_RESOURCE));
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> keys = path.getValue().fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (HTTP_METHODS.contains(key)) {
                    documented.add(key.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        assertEquals(documented, routes);
    }

    @Test
    void everySchemaReferenceResolves() throws Exception {
        JsonNode openApi = TestClient.JSON.readTree(SystemRoutes.resource(SystemRoutes.OPENAPI_RESOURCE));
        assertEquals("3.1.0", openApi.get("openapi").asText());
        for (String schema : List.of("Workflow", "Execution", "NodeRun", "NodeDescriptor", "Problem")) {
            assertTrue(openApi.at("/components/schemas/" + schema).isObject(), schema);
        }
        List<String> refs = new ArrayList<>();
        collectRefs(openApi, refs);
        assertTrue(refs.size() > 20);
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertTrue(!openApi.at(ref.substring(1)).isMissingNode(), "unresolved " + ref);
        }
    }

    @Test
    void everyOperationHasAnIdAndAProblemForItsErrors() throws Exception {
        JsonNode openApi = TestClient.JSON.readTree(SystemRoutes.resource(SystemRoutes.OPENAPI_RESOURCE));
        Set<String> ids = new TreeSet<>();
        openApi.get("paths").forEach(path -> path.fields().forEachRemaining(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                String id = op.getValue().path("operationId").asText();
                assertTrue(!id.isEmpty() && ids.add(id), "missing or duplicate operationId " + id);
                op.getValue().get("responses").fields().forEachRemaining(response -> {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        assertTrue(response.getValue().path("$ref").asText().startsWith("#/components/responses/"),
                                op.getKey() + " " + id + " " + response.getKey());
                    }
                });
            }
        }));
    }

    @Test
    void everyOperationDocumentsTheRoleItNeedsAndItsAuthenticationAnswers() throws Exception {
        JsonNode openApi = TestClient.JSON.readTree(SystemRoutes.resource(SystemRoutes.OPENAPI_RESOURCE));
        assertEquals("bearer", openApi.at("/components/securitySchemes/bearerAuth/scheme").asText());
        assertTrue(openApi.at("/security/0/bearerAuth").isArray());
        openApi.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!HTTP_METHODS.contains(op.getKey())) {
                return;
            }
            String where = op.getKey() + " " + path.getKey();
            // A concrete path for the template: the role depends on the prefix only.
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "x");
            Role needed = TokenAuthentication.requiredRole(
                    io.javalin.http.HandlerType.findOrCreate(op.getKey().toUpperCase(Locale.ROOT)), concrete);
            JsonNode operation = op.getValue();
            JsonNode responses = operation.get("responses");
            if (needed == null) {
                assertTrue(operation.path("security").isArray() && operation.get("security").isEmpty(), where + " is open");
                assertTrue(responses.path("401").isMissingNode(), where);
            } else {
                assertEquals(needed.label(), operation.path("x-qflow-role").asText(), where);
                assertEquals("#/components/responses/Unauthorized", responses.path("401").path("$ref").asText(), where);
                assertEquals(needed != Role.VIEWER, !responses.path("403").isMissingNode(), where + " 403");
            }
        }));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}

package io.qflow.rest.internal;

import static io.qflow.rest.internal.RestApiTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Bearer tokens and roles (qflow.api.tokens) over real HTTP, and the open API when no token is configured. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationRestTest {

    private static final String ADMIN = "admin-token-0123";
    private static final String EDITOR = "editor-token-4567";
    private static final String VIEWER = "viewer-token-89ab";
    private static final String WORKFLOW = """
            {"schemaVersion": 1, "name": "Hello", "nodes": [{"id": "a", "type": "core.input", "position": {"x": 1, "y": 2}}],
             "connections": []}""";
    private static final byte[] JAR = {0x50, 0x4b, 3, 4, 1, 2, 3};

    private final FakeServices services = new FakeServices();
    private TestClient client;

    @BeforeAll
    void start() {
        ApiTokens tokens = ApiTokens.parse("admin:" + ADMIN + ", editor:" + EDITOR + ", viewer:" + VIEWER);
        client = new TestClient(services.api(RestSettings.forTests().withApiTokens(tokens)));
    }

    @AfterAll
    void stop() {
        client.close();
    }

    @Test
    void withoutTokensOnLoopbackEverythingIsOpen() {
        try (TestClient open = new TestClient(new FakeServices().api(RestSettings.forTests()))) {
            assertEquals(200, open.get("/api/v1/workflows").status());
            assertEquals(201, open.post("/api/v1/workflows", WORKFLOW).status());
            assertEquals(202, uploadJar(open).status());
        }
    }

    @Test
    void missingTokenIs401WithABearerChallenge() {
        client.bearer(null);
        int workflowsBefore = services.workflows.list().size();
        for (TestClient.Response response : new TestClient.Response[] {
                client.get("/api/v1/workflows"), client.post("/api/v1/workflows", WORKFLOW),
                client.get("/api/v1/plugins"), client.get("/api/v1/no-such-route")}) {
            assertProblem(response, 401, "unauthorized");
            assertTrue(response.header("WWW-Authenticate").startsWith("Bearer"), response.header("WWW-Authenticate"));
        }
        assertEquals(workflowsBefore, services.workflows.list().size(), "nothing was created");
    }

    @Test
    void wrongOrMalformedTokenIs401() {
        for (String header : new String[] {"Bearer not-a-token", "Bearer " + ADMIN + "x", "Basic " + ADMIN, ADMIN, "Bearer "}) {
            client.authorization(header);
            TestClient.Response response = client.get("/api/v1/workflows");
            assertProblem(response, 401, "unauthorized");
            assertTrue(response.header("WWW-Authenticate").startsWith("Bearer"), header);
            assertFalse(response.text().contains(ADMIN), "the answer never repeats a token");
        }
        client.authorization("bearer " + VIEWER);
        assertEquals(200, client.get("/api/v1/workflows").status(), "the scheme is case-insensitive");
    }

    @Test
    void healthOpenApiAndStartPageNeedNoToken() {
        client.bearer(null);
        assertEquals(200, client.get("/api/v1/health").status());
        assertEquals(200, client.get("/api/v1/openapi.json").status());
        assertEquals(200, client.get("/").status());
    }

    @Test
    void viewerReadsButDoesNotWrite() {
        client.bearer(VIEWER);
        assertEquals(200, client.get("/api/v1/workflows").status());
        assertEquals(200, client.get("/api/v1/executions").status());
        assertEquals(200, client.get("/api/v1/node-types").status());
        assertEquals(200, client.get("/api/v1/plugins").status());
        TestClient.Response post = client.post("/api/v1/workflows", WORKFLOW);
        assertProblem(post, 403, "forbidden");
        assertTrue(post.json().get("detail").asText().contains("'editor'"), post.toString());
        assertNull(post.header("WWW-Authenticate"));
        assertProblem(client.post("/api/v1/workflows/validate", WORKFLOW), 403, "forbidden");
        assertProblem(client.post("/api/v1/executions/x/cancel", ""), 403, "forbidden");
        assertProblem(client.delete("/api/v1/workflows/x"), 403, "forbidden");
        assertProblem(uploadJar(client), 403, "forbidden");
    }

    @Test
    void editorWritesWorkflowsAndExecutionsButNotPlugins() {
        client.bearer(EDITOR);
        TestClient.Response created = client.post("/api/v1/workflows", WORKFLOW);
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();
        assertEquals(200, client.put("/api/v1/workflows/" + id, WORKFLOW).status());
        assertEquals(202, client.post("/api/v1/workflows/" + id + "/executions", "{}").status());
        assertEquals(204, client.delete("/api/v1/workflows/" + id).status());

        int uploadsBefore = services.plugins.uploads.size();
        TestClient.Response upload = uploadJar(client);
        assertProblem(upload, 403, "forbidden");
        assertTrue(upload.json().get("detail").asText().contains("'admin'"), upload.toString());
        assertEquals(uploadsBefore, services.plugins.uploads.size(), "nothing was stored");
        assertProblem(client.delete("/api/v1/plugins/1"), 403, "forbidden");
    }

    @Test
    void adminMayDoEverything() {
        client.bearer(ADMIN);
        assertEquals(200, client.get("/api/v1/workflows").status());
        assertEquals(201, client.post("/api/v1/workflows", WORKFLOW).status());
        TestClient.Response upload = uploadJar(client);
        assertEquals(202, upload.status(), upload.toString());
        assertEquals(JAR.length, services.plugins.uploads.get("auth.jar").length);
        // Past authentication the route answers as usual.
        assertProblem(client.get("/api/v1/no-such-route"), 404, "not-found");
    }

    @Test
    void rolesFollowMethodAndPath() {
        var get = io.javalin.http.HandlerType.GET;
        var post = io.javalin.http.HandlerType.POST;
        var delete = io.javalin.http.HandlerType.DELETE;
        assertNull(TokenAuthentication.requiredRole(get, "/api/v1/health"));
        assertNull(TokenAuthentication.requiredRole(get, "/"));
        assertEquals(Role.VIEWER, TokenAuthentication.requiredRole(get, "/api/v1/plugins"));
        assertEquals(Role.EDITOR, TokenAuthentication.requiredRole(post, "/api/v1/workflows"));
        assertEquals(Role.EDITOR, TokenAuthentication.requiredRole(post, "/api/v1/executions/1/retry"));
        assertEquals(Role.ADMIN, TokenAuthentication.requiredRole(post, "/api/v1/health"));
        assertEquals(Role.ADMIN, TokenAuthentication.requiredRole(post, "/api/v1/plugins"));
        assertEquals(Role.ADMIN, TokenAuthentication.requiredRole(delete, "/api/v1/plugins/3"));
        assertEquals(Role.ADMIN, TokenAuthentication.requiredRole(post, "/api/v1/workflows/../plugins"));
        assertEquals(Role.ADMIN, TokenAuthentication.requiredRole(post, "/api/v1/workflowsX"));
    }

    private static TestClient.Response uploadJar(TestClient client) {
        return client.send(HttpRequest.newBuilder(client.uri("/api/v1/plugins?filename=auth.jar"))
                .header("Content-Type", "application/java-archive").POST(HttpRequest.BodyPublishers.ofByteArray(JAR)));
    }
}

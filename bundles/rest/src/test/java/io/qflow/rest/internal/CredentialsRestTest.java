package io.qflow.rest.internal;

import static io.qflow.rest.internal.RestApiTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.Engine;
import io.qflow.engine.internal.memory.InMemoryDocumentRepository;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** /api/v1/credentials over real HTTP on a real in-memory engine: values go in, never come out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialsRestTest {

    private static final String PASSWORD = "pg-pa55word-4711";
    private static final String EDITOR = "editor-token-4567";
    private static final String VIEWER = "viewer-token-89ab";

    private final InMemoryDocumentRepository documents = new InMemoryDocumentRepository();
    private Engine engine;
    private TestClient client;

    @BeforeAll
    void start() {
        engine = Engine.builder().documentRepository(documents).build();
        client = new TestClient(new RestApi(engine.workflows(), engine.executions(), engine.catalog(), new FakeServices.FakePlugins(),
                RestSettings.forTests()).serveCredentials(() -> Optional.of(engine.credentials())));
    }

    @AfterAll
    void stop() {
        client.close();
        engine.close();
    }

    @Test
    void putListAndDeleteWithoutEverAnsweringTheValue() {
        TestClient.Response put = client.put("/api/v1/credentials/pg", "{\"value\": {\"user\": \"app\", \"password\": \"" + PASSWORD + "\"}}");
        assertEquals(200, put.status(), put::toString);
        assertEquals("pg", put.json().get("name").asText());
        assertEquals("[\"user\",\"password\"]", put.json().get("fields").toString());
        assertTrue(put.json().hasNonNull("updatedAt"), put::toString);
        assertFalse(put.text().contains(PASSWORD), put::toString);
        assertFalse(put.json().has("value"));

        assertEquals(200, client.put("/api/v1/credentials/hookToken", "{\"value\": \"tok-0815\"}").status());
        TestClient.Response list = client.get("/api/v1/credentials");
        assertEquals(200, list.status(), list::toString);
        JsonNode all = list.json();
        assertEquals(2, all.size(), list::toString);
        assertEquals("hookToken", all.get(0).get("name").asText());
        assertEquals(0, all.get(0).get("fields").size());
        assertFalse(list.text().contains(PASSWORD) || list.text().contains("tok-0815"), list::toString);
        assertFalse(documents.find("credentials", "pg").orElseThrow().toString().contains(PASSWORD), "stored encrypted");

        TestClient.Response deleted = client.delete("/api/v1/credentials/hookToken");
        assertEquals(204, deleted.status(), deleted::toString);
        assertProblem(client.delete("/api/v1/credentials/hookToken"), 404, "not-found");
        assertEquals(1, client.get("/api/v1/credentials").json().size());
    }

    @Test
    void badRequestsAreProblemsNamingWhatIsWrong() {
        TestClient.Response badName = client.put("/api/v1/credentials/9lives", "{\"value\": \"x\"}");
        assertProblem(badName, 422, "validation-failed");
        assertEquals("/name", badName.json().at("/errors/0/field").asText(), badName::toString);

        assertProblem(client.put("/api/v1/credentials/ok", "{\"secret\": \"x\"}"), 400, "invalid-request");
        assertProblem(client.put("/api/v1/credentials/ok", "\"just a string\""), 400, "invalid-request");
        TestClient.Response nullValue = client.put("/api/v1/credentials/ok", "{\"value\": null}");
        assertProblem(nullValue, 422, "validation-failed");
        assertEquals("/value", nullValue.json().at("/errors/0/field").asText(), nullValue::toString);
        assertFalse(client.get("/api/v1/credentials").text().contains("\"ok\""), "nothing refused was stored");
    }

    @Test
    void viewersListAndEditorsWrite() {
        try (TestClient secured = new TestClient(new RestApi(engine.workflows(), engine.executions(), engine.catalog(),
                new FakeServices.FakePlugins(), RestSettings.forTests().withApiTokens(ApiTokens.parse("editor:" + EDITOR + ", viewer:" + VIEWER)))
                .serveCredentials(() -> Optional.of(engine.credentials())))) {
            secured.bearer(VIEWER);
            assertEquals(200, secured.get("/api/v1/credentials").status());
            assertProblem(secured.put("/api/v1/credentials/viewerMade", "{\"value\": \"x\"}"), 403, "forbidden");
            assertProblem(secured.delete("/api/v1/credentials/viewerMade"), 403, "forbidden");
            secured.bearer(EDITOR);
            assertEquals(200, secured.put("/api/v1/credentials/editorMade", "{\"value\": \"x\"}").status());
            assertEquals(204, secured.delete("/api/v1/credentials/editorMade").status());
        }
    }

    @Test
    void withoutACredentialServiceTheRoutesAnswer503() {
        try (TestClient bare = new TestClient(new FakeServices().api(RestSettings.forTests()))) {
            assertProblem(bare.get("/api/v1/credentials"), 503, "service-unavailable");
            assertProblem(bare.put("/api/v1/credentials/x", "{\"value\": 1}"), 503, "service-unavailable");
        }
    }
}

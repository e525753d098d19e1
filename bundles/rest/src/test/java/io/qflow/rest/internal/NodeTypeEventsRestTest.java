package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.engine.internal.catalog.NodeTypeRegistry;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /node-types/events, read by a real SSE client while the engine's real catalogue changes. */
class NodeTypeEventsRestTest {

    private final NodeTypeRegistry catalog = new NodeTypeRegistry();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestClient client;

    private final NodeType greet = new NodeType() {
        private final NodeDescriptor descriptor = NodeDescriptor.builder("test.greet").output("out", DataType.STRING, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            return NodeResult.of("out", null);
        }
    };

    @BeforeEach
    void start() {
        FakeServices services = new FakeServices();
        client = new TestClient(new RestApi(services.workflows, services.executions, catalog, services.plugins,
                RestSettings.forTests().withApiTokens(ApiTokens.parse("admin:root-token,viewer:look-token"))));
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
    }

    /** The next event's "event:" and "data:" lines, skipping comments. */
    private static String nextEvent(BufferedReader reader) throws Exception {
        StringBuilder event = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty() && !event.isEmpty()) {
                return event.toString();
            }
            if (!line.isEmpty() && !line.startsWith(":")) {
                event.append(line).append('\n');
            }
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void aDeployedAndARemovedTypeEachSendAChangedEvent() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(client.uri("/api/v1/node-types/events?access_token=look-token"))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                // the opening comment is written after the stream listens to the catalogue
                assertEquals(": qflow node types", reader.readLine());
                catalog.addNodeType(greet, "test");
                assertEquals("event: changed\ndata: {\"types\":[\"test.greet\"]}\n", nextEvent(reader));
                catalog.removeNodeType(greet);
                assertEquals("event: changed\ndata: {\"types\":[\"test.greet\"]}\n", nextEvent(reader));
            }
        });
    }

    @Test
    void theStreamNeedsAToken() {
        assertEquals(401, client.get("/api/v1/node-types/events").status());
        assertEquals(401, client.get("/api/v1/node-types/events?access_token=wrong").status());
        assertEquals(401, client.get("/api/v1/node-types?access_token=look-token").status(), "only the event streams take the token in the query");
    }
}

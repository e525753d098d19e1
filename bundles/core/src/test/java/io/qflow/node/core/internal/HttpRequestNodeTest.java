package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.NodeOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real local HTTP server. */
class HttpRequestNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;
    private static String base;
    private static final HttpRequestNode NODE = new HttpRequestNode();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/echo", exchange -> {
            ObjectNode echo = JSON.createObjectNode();
            echo.put("method", exchange.getRequestMethod());
            echo.put("query", exchange.getRequestURI().getRawQuery());
            echo.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
            echo.put("xTest", exchange.getRequestHeaders().getFirst("X-Test"));
            echo.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("X-Reply", "yes");
            respond(exchange, 200, "application/json; charset=utf-8", echo.toString());
        });
        server.createContext("/text", exchange -> respond(exchange, 200, "text/plain", "hello"));
        server.createContext("/badjson", exchange -> respond(exchange, 200, "application/json", "not json"));
        server.createContext("/status/", exchange -> {
            int status = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
            respond(exchange, status, "text/plain", "status body " + status);
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "text/plain", "late");
        });
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "/text");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/big", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[1024 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 11; i++) {
                    out.write(chunk);
                }
            } catch (IOException clientGaveUp) {
                // expected: the node cancels after 10 MB
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static NodeOutcome request(String configJson) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(configJson);
        config.put("url", base + config.get("url").asText());
        return NodeHarness.of(NODE).config(config).run();
    }

    private static JsonNode body(NodeOutcome outcome) {
        return outcome.output("out").get("body");
    }

    @Test
    void getParsesJsonAndEncodesQuery() throws Exception {
        NodeOutcome out = request("{\"url\": \"/echo\", \"query\": {\"q\": \"a b&c=d/é\", \"list\": [1, 2], \"skip\": null}}");
        assertEquals(200, out.output("out").get("status").asInt());
        assertEquals("yes", out.output("out").get("headers").get("x-reply").asText());
        assertEquals("GET", body(out).get("method").asText());
        assertEquals("q=a%20b%26c%3Dd%2F%C3%A9&list=1&list=2", body(out).get("query").asText());
    }

    @Test
    void queryIsAppendedToAnExistingQuery() throws Exception {
        assertEquals("x=1&y=2", body(request("{\"url\": \"/echo?x=1\", \"query\": {\"y\": 2}}")).get("query").asText());
    }

    @Test
    void postsJsonBodyWithHeaders() throws Exception {
        NodeOutcome out = request("{\"url\": \"/echo\", \"method\": \"POST\", \"headers\": {\"X-Test\": \"abc\"},"
                + " \"body\": {\"a\": 1, \"b\": [true]}}");
        JsonNode echo = body(out);
        assertEquals("POST", echo.get("method").asText());
        assertEquals("application/json", echo.get("contentType").asText());
        assertEquals("abc", echo.get("xTest").asText());
        assertEquals(JSON.readTree("{\"a\": 1, \"b\": [true]}"), JSON.readTree(echo.get("body").asText()));
    }

    @Test
    void postsTextBody() throws Exception {
        JsonNode echo = body(request("{\"url\": \"/echo\", \"method\": \"PUT\", \"bodyType\": \"text\", \"body\": \"plain ✓\"}"));
        assertEquals("PUT", echo.get("method").asText());
        assertEquals("text/plain; charset=utf-8", echo.get("contentType").asText());
        assertEquals("plain ✓", echo.get("body").asText());
    }

    @Test
    void postsFormBody() throws Exception {
        JsonNode echo = body(request("{\"url\": \"/echo\", \"method\": \"POST\", \"bodyType\": \"form\","
                + " \"body\": {\"user\": \"ada lovelace\", \"p\": \"x&y=z\"}}"));
        assertEquals("application/x-www-form-urlencoded", echo.get("contentType").asText());
        assertEquals("user=ada%20lovelace&p=x%26y%3Dz", echo.get("body").asText());
        request("{\"url\": \"/echo\", \"method\": \"POST\", \"bodyType\": \"form\", \"body\": [1]}")
                .assertFails("config.invalid");
    }

    @Test
    void explicitContentTypeWins() throws Exception {
        JsonNode echo = body(request("{\"url\": \"/echo\", \"method\": \"POST\", \"headers\": {\"content-type\": \"application/vnd.x+json\"},"
                + " \"body\": {}}"));
        assertEquals("application/vnd.x+json", echo.get("contentType").asText());
    }

    @Test
    void responseTypes() throws Exception {
        request("{\"url\": \"/text\"}").assertEmits("out", "{\"status\": 200, \"headers\": "
                + "{\"content-type\": \"text/plain\", \"content-length\": \"5\", \"date\": \"" + dateOf("/text") + "\"}, \"body\": \"hello\"}");
        assertTrue(body(request("{\"url\": \"/echo\", \"responseType\": \"text\"}")).isTextual());
        NodeOutcome bad = request("{\"url\": \"/badjson\"}");
        assertEquals("not json", body(bad).asText());
        bad.assertLogged("warn", "not valid JSON");
        request("{\"url\": \"/badjson\", \"responseType\": \"json\"}").assertFails("json.invalid");
        assertTrue(body(request("{\"url\": \"/echo\", \"method\": \"HEAD\"}")).isNull());
    }

    private static String dateOf(String path) throws IOException {
        // the server's Date header changes every second; read it from a twin request
        return request("{\"url\": \"" + path + "\"}").output("out").get("headers").get("date").asText();
    }

    @Test
    void followsRedirects() throws Exception {
        assertEquals("hello", body(request("{\"url\": \"/redirect\"}")).asText());
    }

    @Test
    void notFoundIsNotRetryable() throws Exception {
        NodeException e = request("{\"url\": \"/status/404\"}").assertFails("http.status");
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertTrue(e.getMessage().contains("status body 404"), e.getMessage());
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetryable() throws Exception {
        assertTrue(request("{\"url\": \"/status/503\"}").assertFails("http.status").retryable());
        assertTrue(request("{\"url\": \"/status/500\"}").assertFails("http.status").retryable());
        assertTrue(request("{\"url\": \"/status/429\"}").assertFails("http.status").retryable());
    }

    @Test
    void errorStatusIsAValueWhenFailOnStatusIsOff() throws Exception {
        NodeOutcome out = request("{\"url\": \"/status/404\", \"failOnStatus\": false}");
        assertEquals(404, out.output("out").get("status").asInt());
        assertEquals("status body 404", body(out).asText());
    }

    @Test
    void timeoutIsRetryable() throws Exception {
        long start = System.nanoTime();
        NodeException e = request("{\"url\": \"/slow\", \"timeoutMs\": 200}").assertFails("http.timeout");
        assertTrue(e.retryable());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500);
    }

    @Test
    void cancellationInterruptsTheRequest() throws Exception {
        ObjectNode config = JSON.createObjectNode().put("url", base + "/slow");
        long start = System.nanoTime();
        NodeOutcome out = NodeHarness.of(NODE).config(config).cancelAfter(Duration.ofMillis(100)).run();
        assertTrue(out.failure() instanceof InterruptedException, String.valueOf(out.failure()));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500);
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        NodeException e = NodeHarness.of(NODE).config("{\"url\": \"http://127.0.0.1:" + port + "/\", \"timeoutMs\": 5000}").run()
                .assertFails("http.io");
        assertTrue(e.retryable());
    }

    @Test
    void bodiesOverTenMegabytesAreRefused() throws Exception {
        request("{\"url\": \"/big\"}").assertFails("http.too_large");
    }

    @Test
    void onlyHttpUrls() {
        NodeHarness.of(NODE).config("{\"url\": \"ftp://example.com/x\"}").runExpectingFailure("config.invalid");
        NodeHarness.of(NODE).config("{\"url\": \"file:///etc/passwd\"}").runExpectingFailure("config.invalid");
        NodeHarness.of(NODE).config("{\"url\": \"not a url\"}").runExpectingFailure("config.invalid");
        NodeHarness.of(NODE).config("{}").runExpectingFailure("config.invalid");
        NodeHarness.of(NODE).config("{\"url\": \"http://x\", \"method\": \"BREW\"}").runExpectingFailure("config.invalid");
    }
}

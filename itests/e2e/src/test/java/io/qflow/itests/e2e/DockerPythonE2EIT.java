package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python nodes on the {@code docker} backend through the real distribution (io.qflow.python.docker
 * with docker-java embedded, inside Felix): a workflow per Python version whose two nodes share one
 * container, and a node whose network access fails inside it. Needs the engine of
 * scripts/docker-test-engine.sh (QFLOW_TEST_DOCKER_HOST, else its default socket); fails, saying so,
 * without one.
 */
class DockerPythonE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final String HOST = System.getenv().getOrDefault("QFLOW_TEST_DOCKER_HOST",
            "unix:///tmp/qflow-docker/docker.sock");

    @TempDir
    Path temp;

    @RegisterExtension
    final RuntimeCopies runtimes = new RuntimeCopies();
    private QflowProcess qflow;

    @BeforeAll
    static void engineAnswers() {
        String reply;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(HOST.replaceFirst("^unix://", "")));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer) >= 0 && buffer.hasRemaining()) {
                // read to the end of the reply
            }
            reply = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("No Docker engine at " + HOST + " (" + e + "): start one with "
                    + "`scripts/docker-test-engine.sh start` and export the QFLOW_TEST_DOCKER_HOST it prints", e);
        }
        assertTrue(reply.endsWith("OK"), "the engine at " + HOST + " answered " + reply);
    }

    static final String FIRST = """
            import sys, socket
            def probe(n: int) -> dict:
                try:
                    socket.create_connection(("1.1.1.1", 53), timeout=3).close()
                    network = "open"
                except OSError as e:
                    network = str(e)
                return {"n": n + 1, "python": sys.version.split()[0], "host": socket.gethostname(), "network": network}
            """;

    static final String SECOND = """
            import socket
            def after(previous: dict) -> dict:
                return dict(previous, n=previous["n"] + 1, secondHost=socket.gethostname())
            """;

    private static String workflow(String id, String version) throws IOException {
        return """
                {"schemaVersion": 1, "id": "%s", "name": "docker %s",
                 "settings": {"python": {"version": "%s", "backend": "docker"}},
                 "nodes": [
                   {"id": "start", "type": "core.input"},
                   {"id": "first", "type": "python.function", "config": {"code": %s, "function": "probe"}},
                   {"id": "second", "type": "python.function", "config": {"code": %s, "function": "after"}}],
                 "connections": [{"from": "start.out", "to": "first.n"}, {"from": "first.result", "to": "second.previous"}]}
                """.formatted(id, version, version, Api.JSON.writeValueAsString(FIRST), Api.JSON.writeValueAsString(SECOND));
    }

    @Test
    void pythonNodesRunInOneContainerPerExecutionOnBothVersions() throws Exception {
        qflow = runtimes.copy(temp)
                .withEnvironment("QFLOW_PYTHON_DOCKER_HOST", HOST);
        Api api = Polling.startAndAwaitUp(qflow, STARTUP);

        for (String version : new String[] {"3.11", "3.13"}) {
            String id = "docker-" + version.replace('.', '-');
            Api.Response saved = api.post("/api/v1/workflows", workflow(id, version));
            assertEquals(201, saved.status(), saved::toString);
            Api.Response run = api.post("/api/v1/workflows/" + id + "/executions", "{\"input\": 40, \"wait\": true}");
            assertEquals("succeeded", run.json().path("status").asText(), run::toString);
            JsonNode result = run.json().at("/outputs/second/result");
            assertEquals(42, result.path("n").asInt(), run::toString);
            assertTrue(result.path("python").asText().startsWith(version + "."), "version from inside: " + run);
            assertFalse(result.path("host").asText().isEmpty(), run::toString);
            assertEquals(result.path("host").asText(), result.path("secondHost").asText(), "both nodes in one container");
            assertTrue(result.path("network").asText().contains("unreachable"), "no network: " + run);
        }
        assertEquals("UP", api.get("/api/v1/health").json().path("status").asText());
    }
}

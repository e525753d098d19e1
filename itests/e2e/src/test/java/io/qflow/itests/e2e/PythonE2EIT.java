package io.qflow.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python nodes through the real distribution, over HTTP: analyse code (JSON and a .py upload), test a
 * function, save it as a node, see it in the catalogue, run a workflow that uses it (on the Python
 * version the workflow picks, with a requirement installed offline from a wheel folder), restart,
 * and run it again.
 */
class PythonE2EIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @RegisterExtension
    final RuntimeCopies runtimes = new RuntimeCopies();
    private QflowProcess qflow;

    static final String FIB = """
            import sys
            import qflowdemo

            def fib(n: int) -> int:
                \"\"\"The n-th Fibonacci number.\"\"\"
                print("fib", n, "on", sys.version.split()[0])
                return n if n < 2 else fib(n - 1) + fib(n - 2)

            def describe(value: int, label: str = "fib") -> dict:
                return {"text": qflowdemo.shout(label + " = " + str(value)), "python": sys.version.split()[0]}
            """;

    @Test
    void analyseTestSaveRunRestartAndRunAgain() throws Exception {
        Path wheels = Files.createDirectories(temp.resolve("wheels"));
        writeWheel(wheels, "qflow_demo_tools", "1.0.0", "qflowdemo", "def shout(s):\n    return s.upper() + '!'\n");
        qflow = runtimes.copy(temp)
                .withEnvironment("QFLOW_PYTHON_FINDLINKS", wheels.toString())
                .withEnvironment("QFLOW_PYTHON_NOINDEX", "true");
        Api api = Polling.startAndAwaitUp(qflow, STARTUP);
        String code = Api.JSON.writeValueAsString(FIB);

        // 1. analyse: JSON and a multipart .py upload give the same functions
        Api.Response analysis = api.post("/api/v1/python/analyze", "{\"code\": " + code + ", \"python\": \"3.11\"}");
        assertEquals(200, analysis.status(), analysis::toString);
        assertTrue(analysis.json().path("python").asText().startsWith("3.11."), analysis::toString);
        assertEquals("integer", analysis.json().at("/functions/0/parameters/0/type").asText());
        assertEquals("[\"qflowdemo\"]", analysis.json().path("requirements").toString());
        JsonNode uploaded = upload(qflow.port(), "fib.py", FIB);
        assertEquals(analysis.json().path("functions").size(), uploaded.path("functions").size(), uploaded::toString);
        Api.Response syntax = api.post("/api/v1/python/analyze", "{\"code\": \"def f(:\\n  pass\"}");
        assertEquals(1, syntax.json().at("/syntaxError/line").asInt(), syntax::toString);

        // 2. the environment, with pip's progress as Server-Sent Events
        String envRequest = "{\"python\": \"3.11\", \"code\": " + code + ", \"requirements\": [\"qflow-demo-tools==1.0.0\"]}";
        String events = sse(qflow.port(), "/api/v1/python/environments", envRequest);
        assertTrue(events.contains("event: progress") && events.contains("Successfully installed qflow-demo-tools-1.0.0"), events);
        assertTrue(events.contains("event: result"), events);
        Api.Response failing = api.post("/api/v1/python/environments", "{\"requirements\": [\"not-in-the-wheel-folder\"]}");
        assertEquals(422, failing.status(), failing::toString);
        assertTrue(failing.isProblem() && failing.json().path("output").asText().contains("No matching distribution"), failing::toString);

        // 3. test the function
        String function = "\"code\": " + code + ", \"function\": \"fib\", \"python\": \"3.11\", \"requirements\": [\"qflow-demo-tools==1.0.0\"]";
        Api.Response test = api.post("/api/v1/python/test", "{" + function + ", \"inputs\": {\"n\": 10}, \"expected\": 55}");
        assertEquals(200, test.status(), test::toString);
        assertTrue(test.json().path("passed").asBoolean(), test::toString);
        assertTrue(test.json().path("stdout").asText().startsWith("fib 10 on 3.11."), test::toString);
        // the runtime was started with QFLOW_* settings; none of them (tokens, the credentials key) reach the code
        Api.Response env = api.post("/api/v1/python/test", "{\"code\": \"import os\\ndef f() -> list:\\n"
                + "    return sorted(k for k in os.environ if k.startswith(('QFLOW_', 'JAVA_')))\\n\", \"function\": \"f\", \"expected\": []}");
        assertTrue(env.json().path("passed").asBoolean(), env::toString);
        Api.Response noSuch = api.post("/api/v1/python/test", "{\"code\": " + code + ", \"function\": \"nope\"}");
        assertEquals(422, noSuch.status(), noSuch::toString);
        assertEquals("python.no_function", noSuch.json().path("code").asText(), noSuch::toString);

        // 4. save it as a node: in the catalogue at once
        Api.Response saved = api.post("/api/v1/python/nodes", "{\"name\": \"fib\", " + function + "}");
        assertEquals(201, saved.status(), saved::toString);
        assertEquals("python.user.fib", saved.json().path("type").asText());
        Api.Response type = api.get("/api/v1/node-types/python.user.fib");
        assertEquals(200, type.status(), type::toString);
        assertEquals("n", type.json().at("/inputs/0/name").asText(), type::toString);

        // 5. a workflow: input -> python.user.fib -> python.function, on the version the workflow picks
        String workflow = """
                {"schemaVersion": 1, "id": "fib-flow", "name": "Fibonacci",
                 "settings": {"python": {"version": "3.13", "requirements": ["qflow-demo-tools==1.0.0"]}},
                 "nodes": [
                   {"id": "start", "type": "core.input"},
                   {"id": "pick", "type": "python.function", "config": {"code": "def pick(data: dict) -> int:\\n    return data['n']\\n", "function": "pick"}},
                   {"id": "fib", "type": "python.user.fib"},
                   {"id": "describe", "type": "python.function", "config": {"code": %s, "function": "describe"}}
                 ],
                 "connections": [
                   {"from": "start.out", "to": "pick.data"},
                   {"from": "pick.result", "to": "fib.n"},
                   {"from": "fib.result", "to": "describe.value"}
                 ]}""".formatted(code);
        Api.Response created = api.post("/api/v1/workflows", workflow);
        assertEquals(201, created.status(), created::toString);
        JsonNode first = run(api);
        // the saved node pins 3.11, the inline node follows the workflow's 3.13
        assertEquals("FIB = 55!", first.at("/outputs/describe/result/text").asText(), first::toString);
        assertTrue(first.at("/outputs/describe/result/python").asText().startsWith("3.13."), first::toString);
        JsonNode fibRun = nodeRun(first, "fib");
        assertTrue(fibRun.path("logs").toString().contains("fib 10 on 3.11."), fibRun::toString);

        // 6. restart on the same data folder: the saved node is back and the workflow runs again
        qflow.close();
        api = Polling.startAndAwaitUp(qflow, STARTUP);
        Api.Response again = api.get("/api/v1/node-types/python.user.fib");
        assertEquals(200, again.status(), again::toString);
        JsonNode second = run(api);
        assertEquals("FIB = 55!", second.at("/outputs/describe/result/text").asText(), second::toString);
    }

    private static JsonNode run(Api api) throws Exception {
        Api.Response run = api.post("/api/v1/workflows/fib-flow/executions", "{\"input\": {\"n\": 10}, \"wait\": true}");
        assertEquals(200, run.status(), run::toString);
        assertEquals("succeeded", run.json().path("status").asText(), run::toString);
        return run.json();
    }

    private static JsonNode nodeRun(JsonNode execution, String nodeId) {
        for (JsonNode n : execution.path("nodes")) {
            if (nodeId.equals(n.path("nodeId").asText())) {
                return n;
            }
        }
        throw new AssertionError("no node run " + nodeId + " in " + execution);
    }

    private static JsonNode upload(int port, String filename, String content) throws Exception {
        String boundary = "qflow" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: text/x-python\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/python/analyze")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Api.JSON.readTree(r.body());
    }

    private static String sse(int port, String path, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        return r.body();
    }

    /** A minimal pure-Python wheel (PEP 427), written by the test: PyPI is unreachable here. */
    static void writeWheel(Path dir, String distribution, String version, String module, String source) throws Exception {
        String distInfo = distribution + "-" + version + ".dist-info/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(module + "/__init__.py", source);
        files.put(distInfo + "METADATA", "Metadata-Version: 2.1\nName: " + distribution.replace('_', '-') + "\nVersion: " + version + "\n");
        files.put(distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: qflow-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, String> f : files.entrySet()) {
            byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
            String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
            record.append(f.getKey()).append(",sha256=").append(hash).append(',').append(bytes.length).append('\n');
        }
        record.append(distInfo).append("RECORD,,\n");
        files.put(distInfo + "RECORD", record.toString());
        try (OutputStream out = Files.newOutputStream(dir.resolve(distribution + "-" + version + "-py3-none-any.whl"));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}

package io.qflow.python.internal;

import static io.qflow.python.internal.PythonFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.python.PythonException;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.testkit.NodeHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test runs, saved nodes and the python.function node against real workers. */
class FunctionApiTest {

    @TempDir
    static Path data;
    static PythonFixture python;

    @BeforeAll
    static void start() {
        python = new PythonFixture(data, Map.of());
    }

    @AfterAll
    static void stop() {
        python.close();
    }

    static final String FIB = "def fib(n: int) -> int:\n    \"\"\"Fibonacci.\"\"\"\n    print('fib of', n)\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n";

    @Test
    void testRunsTheFunctionAndComparesTheExpectedOutput() throws Exception {
        JsonNode r = python.adapter.test(json("{\"code\": " + PythonFixture.JSON.writeValueAsString(FIB)
                + ", \"function\": \"fib\", \"inputs\": {\"n\": 10}, \"expected\": 55}"));
        assertTrue(r.get("passed").asBoolean(), r.toString());
        assertEquals(55, r.get("result").asInt());
        assertEquals(55, r.at("/outputs/result").asInt());
        assertTrue(r.get("stdout").asText().startsWith("fib of 10\n"));
        assertTrue(r.get("durationMs").asDouble() >= 0);
        JsonNode wrong = python.adapter.test(json("{\"code\": " + PythonFixture.JSON.writeValueAsString(FIB)
                + ", \"function\": \"fib\", \"inputs\": {\"n\": 10}, \"expected\": 56}"));
        assertFalse(wrong.get("passed").asBoolean());
    }

    @Test
    void anExceptionComesBackWithItsTraceback() throws Exception {
        JsonNode r = python.adapter.test(json("""
                {"code": "def f(x: int) -> float:\\n    print('about to fail')\\n    return x / 0\\n", "function": "f", "inputs": {"x": 1}}"""));
        assertFalse(r.get("passed").asBoolean());
        assertEquals("ZeroDivisionError", r.at("/error/type").asText());
        assertEquals(3, r.at("/error/line").asInt());
        assertTrue(r.at("/error/traceback").asText().contains("line 3, in f"), r.toString());
        assertEquals("about to fail\n", r.get("stdout").asText());
    }

    @Test
    void badRequestsNameWhatIsWrong() {
        PythonException noFunction = assertThrows(PythonException.class, () -> python.adapter.test(json(
                "{\"code\": \"def f(): pass\", \"function\": \"g\", \"inputs\": {}}")));
        assertEquals("python.no_function", noFunction.code());
        assertTrue(noFunction.getMessage().contains("(it has: f)"));
        PythonException syntax = assertThrows(PythonException.class, () -> python.adapter.test(json(
                "{\"code\": \"def f(:\\n pass\", \"function\": \"f\"}")));
        assertEquals("python.syntax", syntax.code());
        assertTrue(syntax.getMessage().contains("line 1"), syntax.getMessage());
        PythonException inputs = assertThrows(PythonException.class, () -> python.adapter.test(json(
                "{\"code\": \"def f(n: int, s: str): pass\", \"function\": \"f\", \"inputs\": {\"n\": \"ten\", \"t\": 1}}")));
        assertEquals("python.inputs", inputs.code());
        assertTrue(inputs.getMessage().contains("input 'n' must be integer, got string \"ten\""), inputs.getMessage());
        assertTrue(inputs.getMessage().contains("input 's' (string) is required but missing"), inputs.getMessage());
        assertTrue(inputs.getMessage().contains("input 't' is not a parameter"), inputs.getMessage());
        PythonException badType = assertThrows(PythonException.class, () -> python.adapter.test(json(
                "{\"code\": \"def f(n): pass\", \"function\": \"f\", \"types\": {\"n\": \"integr\"}}")));
        assertEquals(PythonException.Kind.BAD_REQUEST, badType.kind());
        assertTrue(badType.getMessage().contains("types.n"), badType.getMessage());
        PythonException version = assertThrows(PythonException.class, () -> python.adapter.test(json(
                "{\"code\": \"def f(): pass\", \"function\": \"f\", \"python\": \"3.99\"}")));
        assertEquals("python.version_unavailable", version.code());
    }

    @Test
    void outputThatCannotBeSerialisedFailsClearly() throws Exception {
        JsonNode nan = python.adapter.test(json("{\"code\": \"def f():\\n    return {'x': float('nan')}\\n\", \"function\": \"f\"}"));
        assertEquals("python.serialise", nan.at("/error/code").asText(), nan.toString());
        assertTrue(nan.at("/error/message").asText().contains("result['x']"), nan.toString());
        JsonNode lambda = python.adapter.test(json("{\"code\": \"def f():\\n    return lambda: 1\\n\", \"function\": \"f\"}"));
        assertEquals("python.serialise", lambda.at("/error/code").asText(), lambda.toString());
    }

    @Test
    void aWorkerThatDiesMidCallIsReportedAndReplaced() throws Exception {
        JsonNode crash = python.adapter.test(json("{\"code\": \"import os\\ndef f():\\n    os._exit(3)\\n\", \"function\": \"f\"}"));
        assertEquals("python.worker_crashed", crash.at("/error/code").asText(), crash.toString());
        assertTrue(crash.at("/error/message").asText().contains("exit code 3"), crash.toString());
        JsonNode after = python.adapter.test(json("{\"code\": \"def f():\\n    return 7\\n\", \"function\": \"f\"}"));
        assertEquals(7, after.get("result").asInt());
    }

    @Test
    void savedNodesAreVersionedRegisteredAndSurviveARestart(@TempDir Path otherData) throws Exception {
        JsonNode saved = python.adapter.saveNode(json("""
                {"name": "split-name", "code": "def split(full: str, sep: str = ' '):\\n    first, _, last = full.partition(sep)\\n    return {'first': first, 'last': last}\\n",
                 "function": "split", "outputs": {"first": "string", "last": "string"}, "types": {"full": "string"}}"""));
        assertEquals("python.user.split-name", saved.get("type").asText());
        int version = saved.get("version").asInt();
        NodeDescriptor d = python.type("python.user.split-name").descriptor();
        assertEquals(version, d.version());
        assertEquals(DataType.STRING, d.ports().input("full").orElseThrow().type());
        assertTrue(d.ports().input("full").orElseThrow().required());
        assertFalse(d.ports().input("sep").orElseThrow().required());
        assertTrue(d.ports().output("first").isPresent() && d.ports().output("last").isPresent());
        NodeHarness.of(python.type("python.user.split-name")).input("full", "\"Ada Lovelace\"").runExpectingSuccess()
                .assertEmits("first", "\"Ada\"").assertEmits("last", "\"Lovelace\"");

        JsonNode again = python.adapter.saveNode(json("{\"name\": \"split-name\", \"code\": \"def split(full: str):\\n    return {'first': full, 'last': ''}\\n\", \"function\": \"split\", \"outputs\": {\"first\": \"string\", \"last\": \"string\"}}"));
        assertEquals(version + 1, again.get("version").asInt());
        assertEquals(version + 1, python.type("python.user.split-name").descriptor().version());

        // a new adapter on the same documents (a restart) registers the saved node again
        try (PythonFixture restarted = new PythonFixture(otherData, python.documents, Map.of())) {
            NodeHarness.of(restarted.type("python.user.split-name")).input("full", "\"Grace Hopper\"").runExpectingSuccess()
                    .assertEmits("first", "\"Grace Hopper\"");
        }
        assertTrue(python.adapter.deleteNode("split-name"));
        assertFalse(python.types.containsKey("python.user.split-name"));
    }

    @Test
    void pythonFunctionNodeTakesItsPortsFromTheSignatureAndPassesPythonObjectsOpaquely() throws Exception {
        String code = """
                class Box:
                    def __init__(self, items):
                        self.items = items

                def make(n: int) -> Box:
                    return Box(list(range(n)))

                def total(box: Box, extra: int = 0) -> int:
                    print("summing", len(box.items))
                    return sum(box.items) + extra
                """;
        String config = "{\"code\": " + PythonFixture.JSON.writeValueAsString(code) + ", \"function\": \"make\"}";
        var node = python.type(PythonFunctionNode.TYPE);
        assertEquals(DataType.INTEGER, node.ports(json(config)).input("n").orElseThrow().type());
        JsonNode box = NodeHarness.of(node).config(config).input("n", "5").runExpectingSuccess().output("result");
        assertEquals("qflow_user_" + PythonRunner.sha256(code).substring(0, 16) + ".Box", box.get("$python").asText(), box.toString());
        assertTrue(box.has("pickle"));
        String totalConfig = "{\"code\": " + PythonFixture.JSON.writeValueAsString(code) + ", \"function\": \"total\"}";
        NodeHarness.of(node).config(totalConfig).input("box", box).input("extra", "100").runExpectingSuccess()
                .assertEmits("result", "110").assertLogged("info", "summing 5");
        NodeHarness.of(node).config(totalConfig).input("box", box).input("extra", "\"x\"").runExpectingFailure("python.inputs");
        NodeHarness.of(node).config("{\"code\": \"def f(\", \"function\": \"f\"}").runExpectingFailure("python.syntax");
    }

    @Test
    void bytesAndLargeObjectsTravelThroughTheBlobStore() throws Exception {
        String code = """
                def make_bytes() -> bytes:
                    return b"hello blob"

                def size(data: bytes) -> int:
                    return len(data)

                def big() -> set:
                    return set(range(200000))

                def count(things: set) -> int:
                    return len(things)
                """;
        var node = python.type(PythonFunctionNode.TYPE);
        String quoted = PythonFixture.JSON.writeValueAsString(code);
        NodeHarness first = NodeHarness.of(node).config("{\"code\": " + quoted + ", \"function\": \"make_bytes\"}");
        JsonNode ref = first.runExpectingSuccess().output("result");
        assertTrue(io.qflow.sdk.BlobRef.isRef(ref), ref.toString());
        assertEquals(10, ref.get("size").asInt());
        NodeHarness.of(node).config("{\"code\": " + quoted + ", \"function\": \"size\"}").blobs(first.blobs())
                .input("data", ref).runExpectingSuccess().assertEmits("result", "10");

        NodeHarness producer = NodeHarness.of(node).config("{\"code\": " + quoted + ", \"function\": \"big\"}");
        JsonNode wrapped = producer.runExpectingSuccess().output("result");
        assertEquals("builtins.set", wrapped.get("$python").asText(), wrapped.toString().substring(0, 100));
        assertTrue(io.qflow.sdk.BlobRef.isRef(wrapped.get("blob")) && !wrapped.has("pickle"), "kept in the blob store: " + wrapped.get("blob"));
        NodeHarness.of(node).config("{\"code\": " + quoted + ", \"function\": \"count\"}").blobs(producer.blobs())
                .input("things", wrapped).runExpectingSuccess().assertEmits("result", "200000");
    }

    @Test
    void codeIsNotATemplate() throws Exception {
        String code = "def f(name: str) -> str:\n    return f'{{literal}} {name}'\n";
        NodeHarness.of(python.type(PythonFunctionNode.TYPE)).config("{\"code\": " + PythonFixture.JSON.writeValueAsString(code)
                + ", \"function\": \"f\"}").input("name", "\"Ada\"").runExpectingSuccess().assertEmits("result", "\"{literal} Ada\"");
    }
}

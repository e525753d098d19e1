package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.qflow.engine.internal.memory.InMemoryDocumentRepository;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Credentials: encrypted at rest, listed without values, read by node configs as {@code {{ secrets.<name> }}}. */
class CredentialsTest {

    private static final String TOKEN = "ghp_s3cretTokenValue0123456789";
    private static final byte[] KEY = bytes(1);
    private static final byte[] OTHER_KEY = bytes(2);
    private static final ObjectMapper RECORD_JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final InMemoryDocumentRepository documents = new InMemoryDocumentRepository();
    private final TestNodes nodes = new TestNodes();
    /** The config test.capture was last called with, as the engine resolved it. */
    private final AtomicReference<JsonNode> captured = new AtomicReference<>();

    /** test.capture: remembers its resolved config and emits only {"ok": true}, so the record never holds the config. */
    private final NodeType capture = new NodeType() {
        private final NodeDescriptor descriptor = NodeDescriptor.builder("test.capture").input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            captured.set(ctx.config());
            ctx.log().info("called");
            return NodeResult.of("out", json("{'ok': true}"));
        }
    };

    private static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return key;
    }

    private Engine engine(byte[] key) {
        return Engine.builder().nodeTypes(nodes.input(), capture).documentRepository(documents).secretKey(key).build();
    }

    private static String workflow(String config) {
        return """
                {'id': 'wf', 'name': 'wf', 'nodes': [
                  {'id': 'start', 'type': 'test.input'},
                  {'id': 'call', 'type': 'test.capture', 'config': %s}
                ], 'connections': [{'from': 'start.out', 'to': 'call.in'}]}""".formatted(config);
    }

    private static Execution run(Engine engine) throws Exception {
        String id = engine.executions().start("wf", json("{}"), "manual").id();
        return engine.executions().await(id, Duration.ofSeconds(10));
    }

    private static NodeRun node(Execution e, String id) {
        return e.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aCredentialIsListedWithItsFieldsButNeverItsValue() throws Exception {
        try (Engine engine = engine(KEY)) {
            CredentialInfo github = engine.credentials().put("github", json("{'token': '" + TOKEN + "', 'user': 'ada'}"));
            assertEquals("github", github.name());
            assertEquals(List.of("token", "user"), github.fields());
            engine.credentials().put("apiKey", TextNode.valueOf("k-123"));

            List<CredentialInfo> all = engine.credentials().list();
            assertEquals(List.of("apiKey", "github"), all.stream().map(CredentialInfo::name).toList());
            assertEquals(List.of(), all.get(0).fields(), "a string value has no fields");
            assertFalse(RECORD_JSON.writeValueAsString(all).contains(TOKEN));
            assertFalse(RECORD_JSON.writeValueAsString(all).contains("k-123"));

            assertTrue(engine.credentials().delete("apiKey"));
            assertFalse(engine.credentials().delete("apiKey"), "deleting what is not there says so");
            assertEquals(List.of("github"), engine.credentials().list().stream().map(CredentialInfo::name).toList());
        }
    }

    @Test
    void aBadNameOrNoValueIsRefusedNamingTheField() {
        try (Engine engine = engine(KEY)) {
            for (String bad : List.of("", "1abc", "has space", "dot.ted", "x".repeat(65))) {
                ValidationException e = assertThrows(ValidationException.class, () -> engine.credentials().put(bad, TextNode.valueOf("v")));
                assertEquals("/name", e.problems().get(0).field(), bad);
                assertEquals("credential.name.invalid", e.problems().get(0).code());
            }
            ValidationException none = assertThrows(ValidationException.class,
                    () -> engine.credentials().put("ok", json("null")));
            assertEquals("/value", none.problems().get(0).field());
            assertTrue(engine.credentials().list().isEmpty(), "nothing refused was stored");
        }
    }

    @Test
    void theStoredDocumentHoldsOnlyCiphertextWithAFreshIvPerWrite() throws Exception {
        try (Engine engine = engine(KEY)) {
            engine.credentials().put("github", json("{'token': '" + TOKEN + "'}"));
            JsonNode first = documents.find("credentials", "github").orElseThrow();
            assertEquals(List.of("v", "iv", "data"), iterate(first.fieldNames()));
            assertEquals(1, first.get("v").asInt());
            assertEquals(12, Base64.getDecoder().decode(first.get("iv").asText()).length);
            byte[] data = Base64.getDecoder().decode(first.get("data").asText());
            assertFalse(first.toString().contains(TOKEN), first::toString);
            assertFalse(first.toString().contains("token"), "not even the field names are in clear");
            assertFalse(new String(data, StandardCharsets.ISO_8859_1).contains(TOKEN), "the ciphertext is not the plaintext");

            engine.credentials().put("github", json("{'token': '" + TOKEN + "'}"));
            JsonNode second = documents.find("credentials", "github").orElseThrow();
            assertNotEquals(first.get("iv"), second.get("iv"), "every write has its own IV");
            assertNotEquals(first.get("data"), second.get("data"));
        }
    }

    @Test
    void aNodeConfigReadsCredentialsAndTheRecordDoesNotHoldThem() throws Exception {
        try (Engine engine = engine(KEY)) {
            engine.credentials().put("github", json("{'token': '" + TOKEN + "', 'user': 'ada'}"));
            engine.credentials().put("apiKey", TextNode.valueOf("k-123"));
            engine.workflows().create(json(workflow(
                    "{'auth': '{{ secrets.github.token }}', 'header': 'Bearer {{ secrets.apiKey }}', 'whole': '{{ secrets.github }}'}")));
            Execution done = run(engine);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), () -> String.valueOf(done.error()));
            assertEquals(TOKEN, captured.get().get("auth").asText());
            assertEquals("Bearer k-123", captured.get().get("header").asText());
            assertEquals(json("{'token': '" + TOKEN + "', 'user': 'ada'}"), captured.get().get("whole"), "keeps its JSON type");
            String record = RECORD_JSON.writeValueAsString(engine.executions().get(done.id()).orElseThrow());
            assertFalse(record.contains(TOKEN), record);
            assertFalse(record.contains("k-123"), record);
            assertTrue(engine.workflows().get("wf").orElseThrow().document().toString().contains("{{ secrets.github.token }}"),
                    "the workflow keeps the reference, not the value");
        }
    }

    @Test
    void anUnknownCredentialFailsTheNodeWithSecretUnknownNamingIt() throws Exception {
        try (Engine engine = engine(KEY)) {
            engine.workflows().create(json(workflow("{'auth': 'token {{ secrets.missing.token }}'}")));
            Execution done = run(engine);
            assertEquals(ExecutionStatus.FAILED, done.status());
            ErrorInfo error = node(done, "call").error();
            assertEquals("secret.unknown", error.code());
            assertTrue(error.message().contains("'missing'"), error.message());
            assertEquals(null, captured.get(), "the node was not called");
        }
    }

    @Test
    void failingExpressionsOverASecretNeverRecordItsValue() throws Exception {
        try (Engine engine = engine(KEY)) {
            engine.credentials().put("github", json("{'token': '" + TOKEN + "'}"));
            for (String expression : List.of("{{ secrets.github.token.nope() }}", "{{ secrets.github.token / 2 }}",
                    "{{ secrets }}", "{{ secrets.github.token.x.y }}")) {
                if (engine.workflows().get("wf").isPresent()) {
                    engine.workflows().delete("wf");
                }
                engine.workflows().create(json(workflow("{'auth': '" + expression + "'}")));
                Execution done = run(engine);
                assertEquals(ExecutionStatus.FAILED, done.status(), expression);
                String record = RECORD_JSON.writeValueAsString(engine.executions().get(done.id()).orElseThrow());
                assertFalse(record.contains(TOKEN), expression + ": " + record);
            }
        }
    }

    @Test
    void aCredentialThatDoesNotDecryptWithThisKeyIsAClearErrorNamingIt() throws Exception {
        try (Engine writer = engine(KEY)) {
            writer.credentials().put("github", json("{'token': '" + TOKEN + "'}"));
        }
        try (Engine reader = engine(OTHER_KEY)) {
            assertEquals(List.of("github"), reader.credentials().list().stream().map(CredentialInfo::name).toList(),
                    "listing still works: without fields");
            reader.workflows().create(json(workflow("{'auth': '{{ secrets.github.token }}'}")));
            Execution done = run(reader);
            ErrorInfo error = node(done, "call").error();
            assertEquals("secret.unreadable", error.code());
            assertTrue(error.message().contains("'github'") && error.message().contains("key"), error.message());
        }
        // A ciphertext moved under another name does not decrypt either: the name is bound to it.
        try (Engine engine = engine(KEY)) {
            documents.put("credentials", "moved", documents.find("credentials", "github").orElseThrow());
            engine.workflows().create(json(workflow("{'auth': '{{ secrets.moved.token }}'}")));
            assertEquals("secret.unreadable", node(run(engine), "call").error().code());
        }
    }

    @Test
    void aKeyFileIsMadeOnFirstUseOwnerOnlyAndReusedByTheNextEngine() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("qflow-credentials");
        try (Engine first = Engine.builder().nodeTypes(nodes.input(), capture).documentRepository(documents).dataFolder(data).build()) {
            assertFalse(java.nio.file.Files.exists(data.resolve("secret.key")), "not made before it is needed");
            first.credentials().put("apiKey", TextNode.valueOf("k-123"));
        }
        java.nio.file.Path file = data.resolve("secret.key");
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                java.nio.file.Files.getPosixFilePermissions(file));
        assertEquals(32, Base64.getDecoder().decode(java.nio.file.Files.readString(file).trim()).length);
        try (Engine second = Engine.builder().nodeTypes(nodes.input(), capture).documentRepository(documents).dataFolder(data).build()) {
            second.workflows().create(json(workflow("{'auth': '{{ secrets.apiKey }}'}")));
            assertEquals(ExecutionStatus.SUCCEEDED, run(second).status());
            assertEquals("k-123", captured.get().get("auth").asText());
        }
    }

    @Test
    void aWorkflowNamingSecretsIsValid() throws Exception {
        try (Engine engine = engine(KEY)) {
            ValidationReport report = engine.workflows().validate(json(workflow("{'auth': '{{ secrets.notYetCreated.token }}'}")));
            assertTrue(report.valid(), report.toString());
        }
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}

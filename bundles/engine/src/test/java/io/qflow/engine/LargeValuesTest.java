package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.internal.blob.LargeValues;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node values above the threshold are kept in the blob store; the record holds only references. */
class LargeValuesTest {

    private static final int ITEMS = 20_000; // about 600 KB of JSON: above the 256 KB default

    @TempDir
    Path data;

    private final AtomicInteger made = new AtomicInteger();
    private final AtomicBoolean failCheckOnce = new AtomicBoolean();

    /** big.make: emits an object with ITEMS strings. */
    private NodeType make() {
        return new NodeType() {
            public NodeDescriptor descriptor() {
                return NodeDescriptor.builder("big.make").output("out", DataType.ANY, "").build();
            }

            public NodeResult execute(NodeContext ctx) {
                made.incrementAndGet();
                return NodeResult.of("out", bigValue());
            }
        };
    }

    /** big.check: receives the value, emits how many items it has and whether it equals the original. */
    private NodeType check() {
        return new NodeType() {
            public NodeDescriptor descriptor() {
                return NodeDescriptor.builder("big.check").input("in", DataType.ANY, "", true)
                        .output("out", DataType.ANY, "").build();
            }

            public NodeResult execute(NodeContext ctx) throws NodeException {
                if (failCheckOnce.getAndSet(false)) {
                    throw NodeException.permanent("test.fail", "failing once");
                }
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.put("items", ctx.input("in").path("items").size());
                out.put("equal", ctx.input("in").equals(bigValue()));
                out.put("viaExpression", ctx.evaluate("{{ nodes.make.out.items[19999] }}", java.util.Map.of()).asText());
                return NodeResult.of("out", out);
            }
        };
    }

    private static ObjectNode bigValue() {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        ArrayNode items = value.putArray("items");
        for (int i = 0; i < ITEMS; i++) {
            items.add("item-" + i + "-abcdefghijklmnopqrst");
        }
        return value;
    }

    private Engine engine() {
        return Engine.builder().nodeTypes(make(), check()).dataFolder(data).build();
    }

    private static final String FLOW = """
            {"schemaVersion": 1, "name": "big",
             "nodes": [{"id": "make", "type": "big.make"}, {"id": "check", "type": "big.check"}],
             "connections": [{"from": "make.out", "to": "check.in"}]}""";

    private static NodeRun node(Execution e, String id) {
        return e.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aBigOutputIsRecordedAsAReferenceAndTheSuccessorGetsTheWholeValue() throws Exception {
        try (Engine engine = engine()) {
            StoredWorkflow wf = engine.workflows().create(json(FLOW));
            Execution done = engine.executions().await(engine.executions().start(wf.id(), json("{}"), "manual").id(),
                    Duration.ofSeconds(20));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            JsonNode result = node(done, "check").outputs().get("out");
            assertEquals(ITEMS, result.get("items").asInt());
            assertTrue(result.get("equal").asBoolean(), "the successor received the full value");
            assertEquals("item-19999-abcdefghijklmnopqrst", result.get("viaExpression").asText());

            JsonNode recordedOut = node(done, "make").outputs().get("out");
            assertTrue(BlobRef.isRef(recordedOut), "the record holds a reference: " + abbreviate(recordedOut));
            BlobRef ref = BlobRef.of(recordedOut);
            assertEquals(LargeValues.MEDIA_TYPE, ref.mediaType());
            assertEquals(recordedOut, node(done, "check").inputs().get("in"), "the successor's recorded input is the same reference");
            String hex = ref.sha256();
            Path file = data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
            assertEquals(ref.size(), Files.size(file));
            try (InputStream in = Files.newInputStream(file)) {
                assertEquals(bigValue(), new ObjectMapper().readTree(in));
            }
            // the record as stored (and as the REST front serves it) stays small
            String recorded = new ObjectMapper().findAndRegisterModules()
                    .writeValueAsString(engine.executions().get(done.id()).orElseThrow());
            assertTrue(recorded.length() < 20_000, "record of " + recorded.length() + " chars");
        }
    }

    @Test
    void aResumedRunLoadsTheValueBackFromTheBlob() throws Exception {
        failCheckOnce.set(true);
        try (Engine engine = engine()) {
            StoredWorkflow wf = engine.workflows().create(json(FLOW));
            Execution failed = engine.executions().await(engine.executions().start(wf.id(), json("{}"), "manual").id(),
                    Duration.ofSeconds(20));
            assertEquals(ExecutionStatus.FAILED, failed.status());
            // retry from the failed node: 'make' is taken over from the record, which holds only the reference
            Execution retried = engine.executions().retry(failed.id(), false, false);
            Execution done = engine.executions().await(retried.id(), Duration.ofSeconds(20));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
            assertEquals(1, made.get(), "make did not run again");
            JsonNode result = node(done, "check").outputs().get("out");
            assertEquals(ITEMS, result.get("items").asInt());
            assertTrue(result.get("equal").asBoolean());
            assertEquals("item-19999-abcdefghijklmnopqrst", result.get("viaExpression").asText());
        }
    }

    @Test
    void smallValuesStayInlineAndABigSinkOutputIsAReference() throws Exception {
        try (Engine engine = Engine.builder().nodeTypes(make(), check()).dataFolder(data).blobInlineMaxBytes(100_000_000).build()) {
            StoredWorkflow wf = engine.workflows().create(json(FLOW));
            Execution done = engine.executions().await(engine.executions().start(wf.id(), json("{}"), "manual").id(),
                    Duration.ofSeconds(20));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertFalse(BlobRef.isRef(node(done, "make").outputs().get("out")), "below the threshold: inline");
            assertFalse(Files.exists(data.resolve("blobs")), "nothing was stored");
        }
        try (Engine engine = engine()) {
            StoredWorkflow wf = engine.workflows().create(json("""
                    {"schemaVersion": 1, "name": "sink", "nodes": [{"id": "make", "type": "big.make"}], "connections": []}"""));
            Execution done = engine.executions().await(engine.executions().start(wf.id(), json("{}"), "manual").id(),
                    Duration.ofSeconds(20));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertTrue(BlobRef.isRef(done.outputs().path("make").path("out")), "execution outputs hold the reference");
            assertTrue(BlobRef.isRef(engine.executions().get(done.id()).orElseThrow().outputs().path("make").path("out")));
        }
    }

    private static String abbreviate(JsonNode value) {
        String s = String.valueOf(value);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}

package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Engine;
import io.qflow.engine.Execution;
import io.qflow.engine.NodeRun;
import io.qflow.engine.StoredWorkflow;
import io.qflow.sdk.BlobRef;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The large-data proof: a workflow reads a 200 MB file as a blob and writes it to another file, on an
 * engine whose JVM has a 64 MB heap. The workflow runs in a child JVM started with {@code -Xmx64m};
 * this test checks the copy's SHA-256 and that the execution record holds only the reference.
 */
class LargeFileBlobTest {

    static final long FILE_BYTES = 200L * 1024 * 1024;
    static final String HEAP = "-Xmx64m";

    @TempDir
    Path temp;

    @Test
    void aWorkflowCopiesA200MbFileThroughTheBlobStoreWithA64MbHeap() throws Exception {
        Path root = Files.createDirectories(temp.resolve("files"));
        Path data = temp.resolve("data");
        String originalSha = writeRandomFile(root.resolve("in/big.bin"), FILE_BYTES);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, HEAP, "-XX:+UseSerialGC", "-cp", classPath,
                Child.class.getName(), root.toString(), data.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "child JVM finished");
        assertEquals(0, child.exitValue(), "child JVM output:\n" + String.join("\n", lines));
        String resultLine = lines.stream().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no result from the child:\n" + String.join("\n", lines)));
        JsonNode result = new ObjectMapper().readTree(resultLine.substring("RESULT ".length()));
        System.out.println("[large-data] " + result.path("memory"));

        assertEquals("succeeded", result.get("status").asText(), result.toString());
        Path copy = root.resolve("out/copy.bin");
        assertEquals(FILE_BYTES, Files.size(copy));
        assertEquals(originalSha, sha256(copy), "the copy is byte for byte the original");

        // the execution record holds only the reference, never the bytes
        JsonNode readOut = result.at("/record/read/outputs/out");
        BlobRef ref = BlobRef.of(readOut.get("blob"));
        assertEquals("sha256:" + originalSha, ref.id());
        assertEquals(FILE_BYTES, ref.size());
        assertFalse(readOut.has("content"));
        assertEquals(readOut, result.at("/record/write/inputs/in"));
        assertTrue(result.get("recordChars").asInt() < 10_000, "record of " + result.get("recordChars") + " chars");
        // and the JVM really had a heap far smaller than the file
        long maxHeap = result.at("/memory/maxHeapBytes").asLong();
        assertTrue(maxHeap <= 64L * 1024 * 1024, "max heap " + maxHeap);
        assertTrue(result.at("/memory/peakHeapUsedBytes").asLong() < FILE_BYTES / 3);
    }

    /** Writes {@code size} pseudo-random bytes in 1 MB chunks; returns their SHA-256. */
    private static String writeRandomFile(Path file, long size) throws Exception {
        Files.createDirectories(file.getParent());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1024 * 1024];
        Random random = new Random(42);
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1024 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Runs in the child JVM: args = files folder, data folder. Prints one {@code RESULT <json>} line. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            FileSandbox sandbox = new FileSandbox(Path.of(args[0]));
            ObjectMapper json = new ObjectMapper().findAndRegisterModules();
            try (Engine engine = Engine.builder().dataFolder(Path.of(args[1]))
                    .nodeTypes(new FileReadNode(sandbox), new FileWriteNode(sandbox)).build()) {
                StoredWorkflow wf = engine.workflows().create(json.readTree("""
                        {"schemaVersion": 1, "name": "copy a big file",
                         "nodes": [
                           {"id": "read", "type": "core.file.read", "config": {"path": "in/big.bin", "output": "blob"}},
                           {"id": "write", "type": "core.file.write", "config": {"path": "out/copy.bin", "content": "{{ in.blob }}"}}
                         ],
                         "connections": [{"from": "read.out", "to": "write.in"}]}"""));
                Execution started = engine.executions().start(wf.id(), json.createObjectNode(), "manual");
                Execution done = engine.executions().await(started.id(), Duration.ofMinutes(4));
                Execution stored = engine.executions().get(done.id()).orElseThrow();
                ObjectNode result = json.createObjectNode();
                result.put("status", stored.status().name().toLowerCase());
                result.put("error", String.valueOf(stored.error()));
                ObjectNode record = result.putObject("record");
                for (NodeRun run : stored.nodes()) {
                    ObjectNode node = record.putObject(run.nodeId());
                    node.set("inputs", run.inputs());
                    node.set("outputs", run.outputs());
                }
                result.put("recordChars", json.writeValueAsString(stored).length());
                ObjectNode memory = result.putObject("memory");
                long peak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                memory.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
                memory.put("peakHeapUsedBytes", peak);
                memory.put("fileBytes", Files.size(sandbox.root().resolve("in/big.bin")));
                System.out.println("RESULT " + json.writeValueAsString(result));
            }
            System.exit(0);
        }
    }
}

package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.NodeException;
import io.qflow.sdk.testkit.NodeHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNodesTest {

    @TempDir
    Path temp;
    Path root;
    Path outside;
    FileSandbox sandbox;

    @BeforeEach
    void folders() throws Exception {
        root = Files.createDirectories(temp.resolve("files"));
        outside = Files.createDirectories(temp.resolve("secret"));
        Files.writeString(outside.resolve("passwd"), "top secret");
        sandbox = new FileSandbox(root);
    }

    private NodeHarness read(String config) {
        return NodeHarness.of(new FileReadNode(sandbox)).config(config);
    }

    private NodeHarness write(String config) {
        return NodeHarness.of(new FileWriteNode(sandbox)).config(config);
    }

    @Test
    void writeThenReadRoundTrip() throws Exception {
        write("{\"path\": \"reports/2026/out.txt\"}").inputText("in", "héllo").run()
                .assertEmits("out", "{\"path\": \"reports/2026/out.txt\", \"size\": 6}");
        assertEquals("héllo", Files.readString(root.resolve("reports/2026/out.txt")));
        read("{\"path\": \"reports/2026/out.txt\"}").run()
                .assertEmits("out", "{\"path\": \"reports/2026/out.txt\", \"size\": 6, \"content\": \"héllo\"}");
    }

    @Test
    void writesJsonForNonStringsAndAppends() throws Exception {
        write("{\"path\": \"data.json\"}").input("in", "{\"a\": [1, 2]}").run().assertSuccess();
        assertEquals("{\"a\":[1,2]}", Files.readString(root.resolve("data.json")));
        write("{\"path\": \"log.txt\", \"content\": \"one\\n\", \"append\": true}").run().assertSuccess();
        write("{\"path\": \"log.txt\", \"content\": \"two\\n\", \"append\": true}").run()
                .assertEmits("out", "{\"path\": \"log.txt\", \"size\": 8}");
        assertEquals("one\ntwo\n", Files.readString(root.resolve("log.txt")));
        write("{\"path\": \"log.txt\", \"content\": \"new\"}").run().assertSuccess();
        assertEquals("new", Files.readString(root.resolve("log.txt")));
    }

    @Test
    void binaryRoundTripThroughBase64() throws Exception {
        byte[] bytes = {0, (byte) 0xff, (byte) 0xfe, 65};
        String b64 = Base64.getEncoder().encodeToString(bytes);
        write("{\"path\": \"bin/x.bin\", \"encoding\": \"base64\"}").inputText("in", b64).run().assertSuccess();
        assertArrayEquals(bytes, Files.readAllBytes(root.resolve("bin/x.bin")));
        read("{\"path\": \"bin/x.bin\", \"encoding\": \"base64\"}").run()
                .assertEmits("out", "{\"path\": \"bin/x.bin\", \"size\": 4, \"content\": \"" + b64 + "\"}");
        // as text it is refused rather than garbled
        read("{\"path\": \"bin/x.bin\"}").runExpectingFailure("file.encoding");
        write("{\"path\": \"bad.bin\", \"encoding\": \"base64\", \"content\": \"!!!\"}").runExpectingFailure("data.invalid");
    }

    @Test
    void dotDotEscapeIsRefused() {
        for (String path : new String[] {"../secret/passwd", "a/../../secret/passwd", "..", "."}) {
            NodeException e = read("{\"path\": \"" + path + "\"}").runExpectingFailure("file.forbidden");
            assertTrue(e.getMessage().contains(path), e.getMessage());
            write("{\"path\": \"" + path + "\", \"content\": \"x\"}").runExpectingFailure("file.forbidden");
        }
        assertTrue(Files.exists(outside.resolve("passwd")));
    }

    @Test
    void absolutePathsAreRefused() throws Exception {
        String absolute = outside.resolve("passwd").toString();
        read("{\"path\": \"" + absolute + "\"}").runExpectingFailure("file.forbidden");
        write("{\"path\": \"" + absolute + "\", \"content\": \"x\"}").runExpectingFailure("file.forbidden");
        assertEquals("top secret", Files.readString(outside.resolve("passwd")));
    }

    @Test
    void symlinkEscapeIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("link-dir"), outside);
        Files.createSymbolicLink(root.resolve("link-file"), outside.resolve("passwd"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));

        read("{\"path\": \"link-dir/passwd\"}").runExpectingFailure("file.forbidden");
        read("{\"path\": \"link-file\"}").runExpectingFailure("file.forbidden");
        write("{\"path\": \"link-dir/new.txt\", \"content\": \"x\"}").runExpectingFailure("file.forbidden");
        write("{\"path\": \"link-dir/sub/new.txt\", \"content\": \"x\"}").runExpectingFailure("file.forbidden");
        write("{\"path\": \"link-file\", \"content\": \"x\"}").runExpectingFailure("file.forbidden");
        write("{\"path\": \"dangling\", \"content\": \"x\"}").runExpectingFailure("file.forbidden");

        assertEquals("top secret", Files.readString(outside.resolve("passwd")));
        assertFalse(Files.exists(outside.resolve("new.txt")));
        assertFalse(Files.exists(outside.resolve("sub")));
        assertFalse(Files.exists(outside.resolve("not-yet")));
    }

    @Test
    void symlinksInsideTheRootAreFine() throws Exception {
        Files.createDirectories(root.resolve("real"));
        Files.writeString(root.resolve("real/a.txt"), "inside");
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        read("{\"path\": \"alias/a.txt\"}").run().assertEmits("out", "{\"path\": \"alias/a.txt\", \"size\": 6, \"content\": \"inside\"}");
    }

    @Test
    void missingFileAndFolder() {
        read("{\"path\": \"nope.txt\"}").runExpectingFailure("file.not_found");
        write("{\"path\": \"no/such/dir.txt\", \"content\": \"x\", \"createDirs\": false}").runExpectingFailure("file.not_found");
        read("{}").runExpectingFailure("config.invalid");
    }

    @Test
    void readingAFolderIsRefused() throws Exception {
        Files.createDirectories(root.resolve("dir"));
        read("{\"path\": \"dir\"}").runExpectingFailure("file.invalid");
    }

    @Test
    void theRootDefaultsToTheDataFolderProperty() {
        String before = System.getProperty("qflow.data");
        try {
            System.setProperty("qflow.data", temp.toString());
            assertEquals(temp.resolve("files").toAbsolutePath(), FileSandbox.fromConfig("").root());
            assertEquals(Path.of("/srv/x").toAbsolutePath(), FileSandbox.fromConfig("/srv/x").root());
        } finally {
            if (before == null) {
                System.clearProperty("qflow.data");
            } else {
                System.setProperty("qflow.data", before);
            }
        }
    }

    @Test
    void writtenBytesAreUtf8() throws Exception {
        write("{\"path\": \"u.txt\", \"content\": \"✓\"}").run().assertEmits("out", "{\"path\": \"u.txt\", \"size\": 3}");
        assertArrayEquals("✓".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(root.resolve("u.txt")));
    }

    @Test
    void readsAFileAsABlobAndWritesABlobBack() throws Exception {
        byte[] bytes = new byte[12 * 1024 * 1024]; // above the 10 MB cap of output 'content'
        new java.util.Random(3).nextBytes(bytes);
        Files.write(root.resolve("big.bin"), bytes);
        io.qflow.sdk.testkit.TempBlobStore store = new io.qflow.sdk.testkit.TempBlobStore(temp.resolve("blobs"));
        com.fasterxml.jackson.databind.JsonNode out = read("{\"path\": \"big.bin\", \"output\": \"blob\"}").blobs(store).run()
                .assertSuccess().output("out");
        assertEquals("big.bin", out.get("path").asText());
        assertEquals(bytes.length, out.get("size").asLong());
        assertFalse(out.has("content"));
        io.qflow.sdk.BlobRef ref = io.qflow.sdk.BlobRef.of(out.get("blob"));
        assertEquals(bytes.length, ref.size());
        try (var in = store.open(ref)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }

        write("{\"path\": \"copy/big.bin\"}").blobs(store).input("in", out.get("blob")).run()
                .assertEmits("out", "{\"path\": \"copy/big.bin\", \"size\": " + bytes.length + "}");
        assertArrayEquals(bytes, Files.readAllBytes(root.resolve("copy/big.bin")));
        write("{\"path\": \"copy/twice.bin\", \"content\": " + out.get("blob") + "}").blobs(store).run().assertSuccess();
        write("{\"path\": \"copy/twice.bin\", \"append\": true}").blobs(store).input("in", out.get("blob")).run()
                .assertEmits("out", "{\"path\": \"copy/twice.bin\", \"size\": " + 2L * bytes.length + "}");
    }

    @Test
    void blobErrorsAreClear() throws Exception {
        read("{\"path\": \"nope.bin\", \"output\": \"blob\"}").run().assertFails("file.not_found");
        NodeException missing = write("{\"path\": \"x.bin\"}")
                .input("in", "{\"$blob\": \"sha256:" + "cd".repeat(32) + "\", \"size\": 3}").run().assertFails("blob.not_found");
        assertTrue(missing.getMessage().contains("sha256:" + "cd".repeat(32)), missing.getMessage());
        assertFalse(Files.exists(root.resolve("x.bin")) && Files.size(root.resolve("x.bin")) > 0);
    }
}

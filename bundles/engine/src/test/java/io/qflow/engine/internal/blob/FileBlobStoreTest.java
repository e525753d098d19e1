package io.qflow.engine.internal.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.BlobNotFoundException;
import io.qflow.sdk.BlobRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {

    @TempDir
    Path dir;

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void storesUnderItsHashAndReadsBack() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] content = "hello blobs".getBytes(StandardCharsets.UTF_8);
        BlobRef ref = store.put(new ByteArrayInputStream(content), "text/plain");
        String hex = sha256(content);
        assertEquals("sha256:" + hex, ref.id());
        assertEquals(content.length, ref.size());
        assertEquals("text/plain", ref.mediaType());
        assertEquals(dir.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex), store.pathOf(ref));
        assertTrue(store.contains(ref));
        assertEquals(content.length, store.size(ref));
        try (InputStream in = store.open(ref)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(ref, BlobRef.of(ref.toJson()));
        assertTrue(BlobRef.isRef(ref.toJson()));
    }

    @Test
    void sameContentIsStoredOnceAndLeavesNoTemporaryFiles() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        BlobRef first = store.put(new ByteArrayInputStream(content));
        BlobRef second = store.put(new ByteArrayInputStream(content), "image/png");
        assertEquals(first.id(), second.id());
        assertEquals(List.of(store.pathOf(first)), files(), "one file, no .part left behind");
    }

    @Test
    void concurrentPutsOfTheSameContentEndWithOneCompleteFile() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] content = new byte[2_000_000];
        new java.util.Random(11).nextBytes(content);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<BlobRef>> puts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                puts.add(() -> store.put(new ByteArrayInputStream(content)));
            }
            for (Future<BlobRef> f : pool.invokeAll(puts)) {
                assertEquals("sha256:" + sha256(content), f.get().id());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, files().size());
        assertArrayEquals(content, Files.readAllBytes(files().get(0)));
    }

    @Test
    void aFailedPutLeavesNothing() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100_000) {
                    throw new IOException("source broke");
                }
                return 'x';
            }
        };
        assertThrows(IOException.class, () -> store.put(failing));
        assertEquals(List.of(), files(), "no partial blob, no temporary file");
    }

    @Test
    void aMissingBlobIsAClearError() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        BlobRef missing = new BlobRef("sha256:" + "ab".repeat(32), 5, null);
        assertFalse(store.contains(missing));
        BlobNotFoundException open = assertThrows(BlobNotFoundException.class, () -> store.open(missing));
        assertEquals("blob sha256:" + "ab".repeat(32) + " is not in the blob store", open.getMessage());
        assertEquals(missing.id(), open.blobId());
        assertThrows(BlobNotFoundException.class, () -> store.size(missing));
    }

    @Test
    void referencesAreValidated() {
        assertFalse(BlobRef.isRef(com.fasterxml.jackson.databind.node.TextNode.valueOf("sha256:00")));
        assertThrows(IllegalArgumentException.class, () -> new BlobRef("md5:abc", 1, null));
        assertEquals(BlobRef.OCTET_STREAM, new BlobRef("sha256:" + "0".repeat(64), 0, null).mediaType());
    }
}

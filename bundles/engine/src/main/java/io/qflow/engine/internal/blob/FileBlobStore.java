package io.qflow.engine.internal.blob;

import io.qflow.sdk.BlobNotFoundException;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A {@link BlobStore} in a folder: content lives in {@code <root>/ab/cd/<sha256 hex>} (the first two
 * byte pairs of the hash as folders). A put streams into a temporary file under {@code <root>/tmp}
 * while hashing, then moves it into place atomically, so a reader never sees a partial blob and a
 * crash leaves at most a stray temporary file. Content already stored is not stored again.
 * Thread-safe: concurrent puts of the same content both end with the one file.
 */
public final class FileBlobStore implements BlobStore {

    private static final int BUFFER = 64 * 1024;
    private final Path root;
    private final Path tmp;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }

    /** What a put writes: the content, streamed to the given output. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    @Override
    public BlobRef put(InputStream content, String mediaType) throws IOException {
        return put(out -> content.transferTo(out), mediaType);
    }

    /** Stores what {@code writer} writes, hashing it on the way; nothing is buffered whole in memory. */
    public BlobRef put(Writer writer, String mediaType) throws IOException {
        Files.createDirectories(tmp);
        Path part = Files.createTempFile(tmp, "put-", ".part");
        try {
            MessageDigest digest = sha256();
            long size;
            try (CountingOutputStream counting = new CountingOutputStream(
                    new java.io.BufferedOutputStream(Files.newOutputStream(part), BUFFER));
                 DigestOutputStream out = new DigestOutputStream(counting, digest)) {
                writer.writeTo(out);
                out.flush();
                size = counting.count;
            }
            BlobRef ref = new BlobRef("sha256:" + HexFormat.of().formatHex(digest.digest()), size, mediaType);
            Path target = pathOf(ref);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException raced) {
                    // another put of the same content won: same bytes, nothing to do
                }
            }
            return ref;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        try {
            return Files.newInputStream(pathOf(ref));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(ref.id());
        }
    }

    @Override
    public long size(BlobRef ref) throws IOException {
        try {
            return Files.size(pathOf(ref));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(ref.id());
        }
    }

    @Override
    public boolean contains(BlobRef ref) {
        return Files.isRegularFile(pathOf(ref));
    }

    /** Where the content of {@code ref} lives (whether or not it is there). */
    public Path pathOf(BlobRef ref) {
        String hex = ref.sha256();
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}

package io.qflow.sdk.testkit;

import io.qflow.sdk.BlobNotFoundException;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A {@link BlobStore} in a folder, as the {@link NodeHarness} hands to nodes: content-addressed by
 * SHA-256 like the engine's, streamed (never buffered whole), thread-safe.
 *
 * @since 1.1
 */
public final class TempBlobStore implements BlobStore {

    private final Path root;

    /** A store in {@code root} (created when needed). */
    public TempBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A store in a new temporary folder. */
    public static TempBlobStore create() {
        try {
            return new TempBlobStore(Files.createTempDirectory("qflow-testkit-blobs-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }

    @Override
    public BlobRef put(InputStream content, String mediaType) throws IOException {
        Files.createDirectories(root.resolve("tmp"));
        Path part = Files.createTempFile(root.resolve("tmp"), "put-", ".part");
        try {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long size;
            try (InputStream in = new DigestInputStream(content, digest); OutputStream out = Files.newOutputStream(part)) {
                size = in.transferTo(out);
            }
            BlobRef ref = new BlobRef("sha256:" + HexFormat.of().formatHex(digest.digest()), size, mediaType);
            Path target = pathOf(ref);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException raced) {
                    // same content stored concurrently
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

    /** Where the content of {@code ref} lives: {@code <root>/ab/cd/<hex>}. */
    public Path pathOf(BlobRef ref) {
        String hex = ref.sha256();
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }
}

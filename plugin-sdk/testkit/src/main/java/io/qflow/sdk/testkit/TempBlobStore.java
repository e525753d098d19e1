package io.qflow.sdk.testkit;

import io.qflow.engine.Engine;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link BlobStore} in a folder, as the {@link NodeHarness} hands to nodes: the engine's own
 * content-addressed file store (SHA-256, streamed, never buffered whole, thread-safe), so a node
 * sees in tests exactly what it sees in the runtime.
 *
 * @since 1.1
 */
public final class TempBlobStore implements BlobStore {

    private final Path root;
    private final BlobStore store;

    /** A store in {@code root} (created when needed). */
    public TempBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.store = Engine.fileBlobStore(this.root);
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
        return store.put(content, mediaType);
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        return store.open(ref);
    }

    @Override
    public long size(BlobRef ref) throws IOException {
        return store.size(ref);
    }

    @Override
    public boolean contains(BlobRef ref) {
        return store.contains(ref);
    }
}

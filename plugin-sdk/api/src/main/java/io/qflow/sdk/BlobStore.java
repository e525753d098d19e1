package io.qflow.sdk;

import java.io.IOException;
import java.io.InputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Content-addressed storage for binary and large data: content is stored once under the SHA-256 of
 * its bytes and travels between nodes as a {@link BlobRef}. Nodes put bytes with {@link #put} and
 * emit {@link BlobRef#toJson()}; nodes that receive a reference read it with {@link #open}.
 *
 * <p>Implementations are thread-safe. Every method does blocking I/O (nodes run on virtual
 * threads, so that is fine); content is streamed, never buffered whole in memory.
 *
 * @since 1.1
 */
@ProviderType
public interface BlobStore {

    /**
     * Stores everything {@code content} yields (reading it to its end; the caller closes it) and
     * returns its reference. Storing content that is already there stores nothing new.
     */
    BlobRef put(InputStream content, String mediaType) throws IOException;

    /** {@link #put(InputStream, String)} with {@link BlobRef#OCTET_STREAM}. */
    default BlobRef put(InputStream content) throws IOException {
        return put(content, BlobRef.OCTET_STREAM);
    }

    /**
     * Opens the content of a reference for reading; the caller closes the stream.
     *
     * @throws BlobNotFoundException when the store does not hold it
     */
    InputStream open(BlobRef ref) throws IOException;

    /**
     * The size in bytes of stored content.
     *
     * @throws BlobNotFoundException when the store does not hold it
     */
    long size(BlobRef ref) throws IOException;

    /** Whether the store holds the content of {@code ref}. */
    boolean contains(BlobRef ref);
}

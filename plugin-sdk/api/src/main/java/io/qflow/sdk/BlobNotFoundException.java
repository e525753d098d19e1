package io.qflow.sdk;

import java.io.IOException;

/**
 * The {@link BlobStore} does not hold the content of a reference (it was never stored here, or
 * was removed).
 *
 * @since 1.1
 */
public class BlobNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;
    private final String blobId;

    public BlobNotFoundException(String blobId) {
        super("blob " + blobId + " is not in the blob store");
        this.blobId = blobId;
    }

    /** The id of the missing blob, {@code sha256:<hex>}. */
    public String blobId() {
        return blobId;
    }
}

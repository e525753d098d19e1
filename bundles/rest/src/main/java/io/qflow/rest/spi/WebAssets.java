package io.qflow.rest.spi;

import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Static files the REST front serves outside {@code /api/}, e.g. the web editor's built app.
 * Registered as an OSGi service; the REST front follows it dynamically (it never restarts when
 * the service comes or goes) and shows its placeholder page while none is registered.
 *
 * <p>Called on the HTTP server's request threads, concurrently: implementations must be
 * thread-safe and should answer from memory (no blocking I/O beyond reading bundle resources).
 */
@ConsumerType
public interface WebAssets {

    /** The file the SPA fallback serves for paths that name no file ({@code /}, {@code /workflows/x}). */
    String INDEX = "index.html";

    /**
     * The file at {@code path}, relative and without a leading slash ({@code index.html},
     * {@code assets/app-1a2b3c.js}); empty when there is none. Never called with {@code ..} segments.
     */
    Optional<Asset> find(String path);

    /**
     * One file.
     *
     * @param contentType the media type to answer with, e.g. {@code text/javascript; charset=utf-8}
     * @param content     the bytes; callers must not modify the array
     * @param immutable   true when the name carries a content hash, so clients may cache it for a
     *                    year; false (e.g. index.html) makes clients revalidate every time
     */
    record Asset(String contentType, byte[] content, boolean immutable) {
        public Asset {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(content, "content");
        }
    }
}

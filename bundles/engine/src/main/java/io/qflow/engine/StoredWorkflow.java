package io.qflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A workflow as stored: the document exactly as given (editor-only fields such as {@code position}
 * kept), plus what the server assigns. {@code document} also carries {@code id}, {@code version},
 * {@code createdAt} and {@code updatedAt}, so exporting it gives back the same document.
 */
public record StoredWorkflow(String id, int version, String name, Instant createdAt, Instant updatedAt, ObjectNode document) {
}

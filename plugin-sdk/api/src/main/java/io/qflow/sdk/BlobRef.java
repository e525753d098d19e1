package io.qflow.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to content kept by the {@link BlobStore}. It travels between nodes and is stored in
 * execution records as JSON: {@code {"$blob": "sha256:<64 hex>", "size": N, "mediaType": "..."}}.
 * Immutable.
 *
 * @param id        {@code sha256:} followed by the lowercase hex SHA-256 of the content
 * @param size      the content's length in bytes
 * @param mediaType the content's media type; {@code application/octet-stream} when unknown
 * @since 1.1
 */
public record BlobRef(String id, long size, String mediaType) {

    /** The media type when none is known. */
    public static final String OCTET_STREAM = "application/octet-stream";
    private static final Pattern ID = Pattern.compile("sha256:[0-9a-f]{64}");

    public BlobRef {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a blob id (sha256:<64 lowercase hex>): " + id);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative blob size " + size);
        }
        mediaType = mediaType == null || mediaType.isBlank() ? OCTET_STREAM : mediaType;
    }

    /** The lowercase hex SHA-256 of the content (the id without its {@code sha256:} prefix). */
    public String sha256() {
        return id.substring("sha256:".length());
    }

    /** Whether a JSON value is a blob reference (an object whose {@code $blob} is a blob id). */
    public static boolean isRef(JsonNode value) {
        if (value == null || !value.isObject()) {
            return false;
        }
        JsonNode id = value.get("$blob");
        JsonNode size = value.get("size");
        return id != null && id.isTextual() && ID.matcher(id.textValue()).matches()
                && (size == null || size.canConvertToLong() && size.longValue() >= 0);
    }

    /**
     * Reads a reference from its JSON form.
     *
     * @throws IllegalArgumentException when {@code value} is not a blob reference
     */
    public static BlobRef of(JsonNode value) {
        if (!isRef(value)) {
            throw new IllegalArgumentException("not a blob reference ({\"$blob\": \"sha256:...\", \"size\": N}): " + value);
        }
        JsonNode size = value.get("size");
        JsonNode mediaType = value.get("mediaType");
        return new BlobRef(value.get("$blob").textValue(), size == null ? 0 : size.longValue(),
                mediaType != null && mediaType.isTextual() ? mediaType.textValue() : null);
    }

    /** The JSON form, {@code {"$blob": ..., "size": ..., "mediaType": ...}}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("$blob", id);
        json.put("size", size);
        json.put("mediaType", mediaType);
        return json;
    }

    /** The same content with another media type. */
    public BlobRef withMediaType(String type) {
        return new BlobRef(id, size, type);
    }
}

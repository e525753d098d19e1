package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Values between the engine and a worker (PROTOCOL.md, "Values"). Towards the worker: blob
 * references become {@code $bytes}, pickles kept in the BlobStore are inlined again. From the
 * worker: {@code $bytes} become blob references, pickles above the threshold move to the BlobStore.
 * Pickles are never unpickled here.
 */
final class ValueCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final long blobThreshold;

    ValueCodec(long blobThreshold) {
        this.blobThreshold = blobThreshold;
    }

    JsonNode toWorker(JsonNode value, BlobStore blobs) throws CallFailure {
        if (value == null || value.isMissingNode()) {
            return NODES.nullNode();
        }
        if (BlobRef.isRef(value) && blobs != null) {
            return NODES.objectNode().put("$bytes", Base64.getEncoder().encodeToString(read(blobs, BlobRef.of(value))));
        }
        if (value.isObject() && value.has("$python") && BlobRef.isRef(value.get("blob")) && blobs != null) {
            ObjectNode inline = NODES.objectNode();
            inline.put("$python", value.get("$python").asText());
            inline.put("pickle", Base64.getEncoder().encodeToString(read(blobs, BlobRef.of(value.get("blob")))));
            return inline;
        }
        if (value.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(f.getKey(), toWorker(f.getValue(), blobs));
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode v : value) {
                out.add(toWorker(v, blobs));
            }
            return out;
        }
        return value;
    }

    JsonNode fromWorker(JsonNode value, BlobStore blobs) throws CallFailure {
        if (value.isObject()) {
            if (value.size() == 1 && value.has("$bytes") && blobs != null) {
                byte[] bytes = Base64.getDecoder().decode(value.get("$bytes").asText());
                return put(blobs, bytes, BlobRef.OCTET_STREAM).toJson();
            }
            if (value.has("$python") && value.has("pickle") && blobs != null) {
                String pickle = value.get("pickle").asText();
                if ((long) pickle.length() * 3 / 4 > blobThreshold) {
                    ObjectNode out = NODES.objectNode();
                    out.put("$python", value.get("$python").asText());
                    out.set("blob", put(blobs, Base64.getDecoder().decode(pickle), "application/x-python-pickle").toJson());
                    return out;
                }
                return value;
            }
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(f.getKey(), fromWorker(f.getValue(), blobs));
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode v : value) {
                out.add(fromWorker(v, blobs));
            }
            return out;
        }
        return value;
    }

    private static byte[] read(BlobStore blobs, BlobRef ref) throws CallFailure {
        try (InputStream in = blobs.open(ref)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw CallFailure.of("python.blob", "cannot read blob " + ref.id() + ": " + e.getMessage());
        }
    }

    private static BlobRef put(BlobStore blobs, byte[] bytes, String mediaType) throws CallFailure {
        try {
            return blobs.put(new ByteArrayInputStream(bytes), mediaType);
        } catch (IOException | UncheckedIOException e) {
            throw CallFailure.of("python.blob", "cannot store a " + bytes.length + "-byte value in the blob store: " + e.getMessage());
        }
    }
}

package io.qflow.engine.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The cache key of a node run: SHA-256 over type id, descriptor version, resolved config and inputs as canonical JSON. */
public final class CacheKeys {

    private CacheKeys() {
    }

    public static String key(String type, int version, JsonNode config, JsonNode inputs) {
        StringBuilder text = new StringBuilder(256);
        text.append("{\"config\":");
        canonical(config, text);
        text.append(",\"inputs\":");
        canonical(inputs, text);
        text.append(",\"type\":");
        text.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(type));
        text.append(",\"version\":").append(version).append('}');
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON with object keys sorted, no whitespace; numbers in their Jackson text form. */
    static void canonical(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(names.get(i)));
                out.append(':');
                canonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node); // scalars: JsonNode.toString() is valid, escaped JSON
        }
    }
}

package io.qflow.trigger.webhook.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.trigger.WebhookRejection;
import io.qflow.sdk.trigger.WebhookRequest;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a webhook request becomes on the trigger's output ports: {@code body} (JSON parsed, a form as
 * an object, text as a string, anything else as {@code {"contentType", "size", "base64"}}),
 * {@code headers} (lower-case names, repeated values joined by ", "; the header of a header-token auth
 * shows {@value #REDACTED}, so the token never lands in the execution record), {@code query} (a repeated
 * parameter becomes an array), {@code method} and {@code path}.
 */
final class WebhookPayload {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String REDACTED = "[redacted]";

    private WebhookPayload() {
    }

    /** @param secretHeader the header whose value is replaced by {@value #REDACTED} (any case), or null */
    static Map<String, JsonNode> outputs(WebhookRequest request, ObjectMapper mapper, String trigger, String secretHeader)
            throws WebhookRejection {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        outputs.put("body", body(request, mapper, trigger));
        ObjectNode headers = JSON.objectNode();
        request.headers().forEach((name, values) -> headers.put(name,
                name.equalsIgnoreCase(secretHeader) ? REDACTED : String.join(", ", values)));
        outputs.put("headers", headers);
        outputs.put("query", multi(request.query()));
        outputs.put("method", JSON.textNode(request.method()));
        outputs.put("path", JSON.textNode(request.path()));
        return outputs;
    }

    static JsonNode body(WebhookRequest request, ObjectMapper mapper, String trigger) throws WebhookRejection {
        byte[] bytes = request.body();
        if (bytes.length == 0) {
            return JSON.nullNode();
        }
        String media = media(request.contentType());
        if (media.equals("application/json") || media.endsWith("+json")) {
            try {
                return mapper.readTree(bytes);
            } catch (JacksonException e) {
                throw new WebhookRejection(400, "webhook trigger '" + trigger + "': the body is not valid JSON: "
                        + firstLine(e.getOriginalMessage()));
            } catch (java.io.IOException e) {
                throw new WebhookRejection(400, "webhook trigger '" + trigger + "': the body cannot be read: " + e.getMessage());
            }
        }
        if (media.equals("application/x-www-form-urlencoded")) {
            return multi(form(new String(bytes, StandardCharsets.UTF_8)));
        }
        if (media.startsWith("text/") || media.equals("application/xml") || media.isEmpty()) {
            String text = utf8(bytes);
            if (text != null) {
                return JSON.textNode(text);
            }
        }
        ObjectNode binary = JSON.objectNode();
        binary.put("contentType", request.contentType() == null ? "application/octet-stream" : request.contentType());
        binary.put("size", bytes.length);
        binary.put("base64", Base64.getEncoder().encodeToString(bytes));
        return binary;
    }

    private static String media(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null; // not text: passed on as binary
        }
    }

    private static Map<String, List<String>> form(String body) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        return out;
    }

    private static ObjectNode multi(Map<String, List<String>> values) {
        ObjectNode out = JSON.objectNode();
        values.forEach((name, list) -> {
            if (list.size() == 1) {
                out.put(name, list.get(0));
            } else {
                ArrayNode array = out.putArray(name);
                list.forEach(array::add);
            }
        });
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

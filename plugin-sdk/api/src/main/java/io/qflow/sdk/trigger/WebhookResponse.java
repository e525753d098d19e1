package io.qflow.sdk.trigger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What a webhook answers. A JSON body is given as its serialised bytes with content type
 * {@code application/json}.
 *
 * @since 1.1
 */
public record WebhookResponse(int status, Map<String, String> headers, byte[] body, String contentType) {

    public WebhookResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599: " + status);
        }
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static WebhookResponse json(int status, String json) {
        return new WebhookResponse(status, Map.of(), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public static WebhookResponse text(int status, String text) {
        Objects.requireNonNull(text, "text");
        return new WebhookResponse(status, Map.of(), text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }
}

package io.qflow.sdk.trigger;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to a webhook path, as the REST front received it. Header names are lower case;
 * a header or query parameter given several times keeps every value in order. The body is the raw
 * bytes (already bounded by the server's body limit).
 *
 * @param method      upper-case HTTP method
 * @param path        the webhook path after {@code /webhook/} (or {@code /webhook-test/})
 * @param test        true for {@code /webhook-test/{path}}: the editor's one-off run of the draft
 * @param contentType the {@code Content-Type} header, or null
 * @since 1.1
 */
public record WebhookRequest(String method, String path, boolean test, Map<String, List<String>> headers,
                             Map<String, List<String>> query, byte[] body, String contentType) {

    public WebhookRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}

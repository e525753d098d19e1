package io.qflow.trigger.webhook.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.trigger.TriggerConfigException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** A webhook trigger's config, checked once when it starts. */
record WebhookConfig(String path, Set<String> methods, ResponseMode responseMode, int timeoutSeconds, long maxBodyBytes,
                     WebhookAuth auth) {

    static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~-]+");
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    enum ResponseMode {
        IMMEDIATELY("immediately"), LAST_NODE("lastNode"), RESPONSE_NODE("responseNode");

        final String json;

        ResponseMode(String json) {
            this.json = json;
        }
    }

    static WebhookConfig parse(JsonNode config) throws TriggerConfigException {
        String path = config.path("path").asText("");
        if (!PATH.matcher(path).matches()) {
            throw new TriggerConfigException("path", "path must be letters, digits, '-', '_', '.' or '~' (one URL segment), not '"
                    + path + "'");
        }
        String method = config.path("method").asText("POST").toUpperCase(Locale.ROOT);
        Set<String> methods;
        if (method.equals("ANY")) {
            methods = Set.of();
        } else if (METHODS.contains(method)) {
            methods = Set.of(method);
        } else {
            throw new TriggerConfigException("method", "method must be ANY or one of " + METHODS + ", not '" + method + "'");
        }
        String mode = config.path("responseMode").asText("immediately");
        ResponseMode responseMode = null;
        for (ResponseMode m : ResponseMode.values()) {
            if (m.json.equals(mode)) {
                responseMode = m;
            }
        }
        if (responseMode == null) {
            throw new TriggerConfigException("responseMode", "responseMode must be immediately, lastNode or responseNode, not '" + mode + "'");
        }
        int timeout = config.path("timeoutSeconds").asInt(30);
        if (timeout < 1 || timeout > 3600) {
            throw new TriggerConfigException("timeoutSeconds", "timeoutSeconds must be 1..3600, not " + config.path("timeoutSeconds"));
        }
        long maxBody = config.path("maxBodyBytes").asLong(0);
        if (maxBody < 0) {
            throw new TriggerConfigException("maxBodyBytes", "maxBodyBytes must be positive, not " + maxBody);
        }
        return new WebhookConfig(path, methods, responseMode, timeout, maxBody, WebhookAuth.from(config.get("auth")));
    }
}

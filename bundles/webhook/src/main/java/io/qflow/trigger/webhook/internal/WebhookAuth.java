package io.qflow.trigger.webhook.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.WebhookRejection;
import io.qflow.sdk.trigger.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook's optional authentication: {@code {"type": "header", "header": "X-Token", "value": "..."}}
 * (the header must carry the value) or {@code {"type": "hmac", "header": "X-Signature", "secret": "...",
 * "prefix": "sha256="}} (the header must carry the hex HMAC-SHA256 of the raw body). A missing header
 * is 401, a wrong one 403; comparisons take constant time.
 */
interface WebhookAuth {

    void check(WebhookRequest request, String trigger) throws WebhookRejection;

    /**
     * The request header that carries the secret itself (a header token), whose value must not reach
     * the trigger's outputs and so the execution record; null when no header does (an HMAC signature
     * is derived from the body and reveals nothing).
     */
    default String secretHeader() {
        return null;
    }

    WebhookAuth NONE = (request, trigger) -> { };

    static WebhookAuth from(JsonNode auth) throws TriggerConfigException {
        if (auth == null || auth.isNull() || auth.isMissingNode()) {
            return NONE;
        }
        String type = auth.path("type").asText("none");
        return switch (type) {
            case "none" -> NONE;
            case "header" -> new HeaderToken(required(auth, "header", "auth/header"), required(auth, "value", "auth/value"));
            case "hmac" -> new HmacSignature(auth.path("header").asText("X-Signature"), required(auth, "secret", "auth/secret"),
                    auth.path("prefix").asText(""));
            default -> throw new TriggerConfigException("auth/type", "auth type must be none, header or hmac, not '" + type + "'");
        };
    }

    private static String required(JsonNode auth, String field, String pointer) throws TriggerConfigException {
        String value = auth.path(field).asText("");
        if (value.isEmpty()) {
            throw new TriggerConfigException(pointer, "auth." + field + " is required for auth type '" + auth.path("type").asText() + "'");
        }
        return value;
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    record HeaderToken(String header, String value) implements WebhookAuth {
        @Override
        public String secretHeader() {
            return header;
        }

        @Override
        public void check(WebhookRequest request, String trigger) throws WebhookRejection {
            String given = request.header(header);
            if (given == null) {
                throw new WebhookRejection(401, "webhook trigger '" + trigger + "': the request lacks the header " + header);
            }
            if (!constantTimeEquals(given, value)) {
                throw new WebhookRejection(403, "webhook trigger '" + trigger + "': the header " + header + " does not match");
            }
        }
    }

    record HmacSignature(String header, String secret, String prefix) implements WebhookAuth {
        @Override
        public void check(WebhookRequest request, String trigger) throws WebhookRejection {
            String given = request.header(header);
            if (given == null) {
                throw new WebhookRejection(401, "webhook trigger '" + trigger + "': the request lacks the signature header " + header);
            }
            String expected = prefix + sign(request.body());
            // hex digits compare case-insensitively; lower-case both, then compare in constant time
            if (!constantTimeEquals(given.trim().toLowerCase(Locale.ROOT), expected.toLowerCase(Locale.ROOT))) {
                throw new WebhookRejection(403, "webhook trigger '" + trigger + "': the signature in " + header
                        + " is not the HMAC-SHA256 of the body");
            }
        }

        String sign(byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(body));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }
    }
}

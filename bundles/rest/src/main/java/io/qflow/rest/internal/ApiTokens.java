package io.qflow.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured API tokens ({@code qflow.api.tokens}: comma-separated {@code role:token}
 * entries). Only SHA-256 digests of the tokens are kept, and a presented token is compared with
 * every one of them in constant time. Neither this class nor its messages ever show a token.
 */
public final class ApiTokens {

    private static final ApiTokens NONE = new ApiTokens(List.of());

    private record Entry(byte[] digest, Role role) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No tokens: the API is open (allowed on loopback only). */
    public static ApiTokens none() {
        return NONE;
    }

    /**
     * Reads {@code role:token, role:token, ...}; blank or null is {@link #none()}.
     *
     * @throws IllegalArgumentException naming {@code qflow.api.tokens} and the entry's position, never the token
     */
    public static ApiTokens parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Entry> entries = new ArrayList<>();
        String[] parts = spec.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            String where = RestSettings.API_TOKENS + ": entry " + (i + 1);
            if (part.isEmpty()) {
                throw new IllegalArgumentException(where + " is empty; write comma-separated role:token entries");
            }
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(where + " is not of the form role:token");
            }
            Role role = Role.byLabel(part.substring(0, colon).trim());
            if (role == null) {
                throw new IllegalArgumentException(where + " has an unknown role; use admin, editor or viewer");
            }
            String token = part.substring(colon + 1).trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException(where + " has an empty token");
            }
            byte[] digest = sha256(token);
            for (Entry entry : entries) {
                if (MessageDigest.isEqual(entry.digest(), digest)) {
                    throw new IllegalArgumentException(where + " repeats the token of an earlier entry");
                }
            }
            entries.add(new Entry(digest, role));
        }
        return new ApiTokens(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The role of {@code token}, or null when it is not configured. Takes the same time whichever entry matches. */
    Role roleOf(String token) {
        if (token == null) {
            return null;
        }
        byte[] digest = sha256(token);
        Role found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.role();
            }
        }
        return found;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", impossible);
        }
    }

    @Override
    public String toString() {
        return "ApiTokens[" + entries.size() + " configured]";
    }
}

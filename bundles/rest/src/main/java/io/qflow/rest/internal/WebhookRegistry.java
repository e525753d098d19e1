package io.qflow.rest.internal;

import io.qflow.sdk.trigger.WebhookEndpoints;
import io.qflow.sdk.trigger.WebhookHandler;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The webhook paths triggers have claimed, live ({@code /webhook/}) and test ({@code /webhook-test/}).
 * One owner per path: a second workflow asking for it is refused, naming the first. Thread-safe.
 */
public class WebhookRegistry implements WebhookEndpoints {

    /** One segment of unreserved URL characters: needs no escaping, and matches the {@code {path}} route parameter. */
    public static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~-]+");

    /** A claimed path. {@code methods} empty = any method. */
    public record Endpoint(String path, Set<String> methods, String owner, WebhookHandler handler) {
        public boolean allows(String method) {
            return methods.isEmpty() || methods.contains(method);
        }
    }

    private final Map<String, Endpoint> live = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> test = new ConcurrentHashMap<>();
    private volatile long maxBodyBytes;

    public WebhookRegistry(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    protected void maxBodyBytes(long bytes) {
        this.maxBodyBytes = bytes;
    }

    @Override
    public Registration register(String path, Set<String> methods, boolean isTest, String owner, WebhookHandler handler)
            throws PathConflictException {
        String normalized = normalize(path);
        if (!PATH.matcher(normalized).matches()) {
            throw new IllegalArgumentException("webhook path '" + path + "' must be one URL segment of letters, digits, '-', '_', '.' or '~'");
        }
        Set<String> upper = Set.copyOf(methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
        Endpoint endpoint = new Endpoint(normalized, upper, owner, handler);
        Map<String, Endpoint> paths = isTest ? test : live;
        Endpoint existing = paths.putIfAbsent(normalized, endpoint);
        if (existing != null) {
            if (!existing.owner().equals(owner)) {
                throw new PathConflictException(normalized, existing.owner());
            }
            // The same workflow claiming its path again (a restart that raced the old close): the new handler wins.
            paths.put(normalized, endpoint);
        }
        return () -> paths.remove(normalized, endpoint);
    }

    @Override
    public String owner(String path, boolean isTest) {
        Endpoint endpoint = (isTest ? test : live).get(normalize(path));
        return endpoint == null ? null : endpoint.owner();
    }

    @Override
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The endpoint serving a path, or null. */
    public Endpoint find(String path, boolean isTest) {
        return (isTest ? test : live).get(normalize(path));
    }

    static String normalize(String path) {
        String p = path == null ? "" : path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}

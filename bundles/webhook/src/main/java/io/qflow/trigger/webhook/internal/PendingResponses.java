package io.qflow.trigger.webhook.internal;

import io.qflow.sdk.trigger.WebhookResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * Where a {@code webhook.respond} node hands its response to the webhook request that started its
 * execution, by execution id. Either side may come first (the node can run before the request
 * thread has learnt the execution id), so both take the same future with computeIfAbsent. Entries
 * of executions no request waits for (a manual run) are dropped after {@link #MAX_AGE_NANOS}.
 */
@Component(service = PendingResponses.class)
public final class PendingResponses {

    static final long MAX_AGE_NANOS = 10L * 60 * 1_000_000_000L;
    private static final int SWEEP_ABOVE = 1_000;

    private record Pending(CompletableFuture<WebhookResponse> future, long createdNanos) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** The response of an execution, completed when its respond node runs. */
    CompletableFuture<WebhookResponse> responseOf(String executionId) {
        return entry(executionId).future();
    }

    /** Called by the respond node; false when a response was already given for this execution. */
    boolean respond(String executionId, WebhookResponse response) {
        return entry(executionId).future().complete(response);
    }

    /** The request is answered: forget the execution. */
    void done(String executionId) {
        pending.remove(executionId);
    }

    int size() {
        return pending.size();
    }

    private Pending entry(String executionId) {
        if (pending.size() > SWEEP_ABOVE) {
            long now = System.nanoTime();
            pending.values().removeIf(p -> now - p.createdNanos() > MAX_AGE_NANOS);
        }
        return pending.computeIfAbsent(executionId, id -> new Pending(new CompletableFuture<>(), System.nanoTime()));
    }
}

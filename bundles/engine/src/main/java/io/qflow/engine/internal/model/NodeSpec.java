package io.qflow.engine.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One node of a parsed workflow.
 *
 * @param index          position in the document's node list (workflow order)
 * @param configTemplated whether any config string holds a {@code {{ }}} expression (fast path when not)
 * @param cacheTtlSeconds  option {@code cache.ttlSeconds}: how long a successful result may be reused; null = no caching
 */
public record NodeSpec(int index, String id, String type, ObjectNode config, RetryPolicy retry, Long timeoutMs,
                       OnError onError, boolean configTemplated, Long cacheTtlSeconds) {

    /** A node without result caching. */
    public NodeSpec(int index, String id, String type, ObjectNode config, RetryPolicy retry, Long timeoutMs,
                    OnError onError, boolean configTemplated) {
        this(index, id, type, config, retry, timeoutMs, onError, configTemplated, null);
    }
}

package io.qflow.engine.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the engine keeps the outputs of nodes that have a {@code "cache": {"ttlSeconds": N}}
 * option, by a key the engine computes (SHA-256, hex, over the node type id, its descriptor version,
 * the resolved config and the inputs, as canonical JSON). Only successful results are put; a node
 * that waits for a decision is never cached. The default is an in-memory bounded LRU
 * ({@code Engine.builder().nodeResultCache(...)} or an OSGi service of this type replaces it).
 * Implementations are thread-safe; a failure of the cache must not fail a node, so implementations
 * should not throw (the engine treats an exception from {@link #get} as a miss and ignores one from
 * {@link #put}).
 */
public interface NodeResultCache {

    /** The outputs stored under {@code key}, if there are and they have not expired. Callers must not modify them. */
    Optional<ObjectNode> get(String key);

    /** Stores {@code outputs} under {@code key} for {@code ttl} from now (the cache's clock), replacing what was there. */
    void put(String key, ObjectNode outputs, Duration ttl);
}

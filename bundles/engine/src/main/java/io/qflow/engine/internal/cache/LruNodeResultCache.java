package io.qflow.engine.internal.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.spi.NodeResultCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The default {@link NodeResultCache}: in memory, bounded to {@code maxEntries} entries, least
 * recently used evicted first; expired entries are dropped when read. Not persistent: a restart
 * starts cold, which only costs re-running the cached nodes once.
 */
public final class LruNodeResultCache implements NodeResultCache {

    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private record Cached(ObjectNode outputs, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, Cached> entries;

    public LruNodeResultCache() {
        this(DEFAULT_MAX_ENTRIES, Clock.systemUTC());
    }

    public LruNodeResultCache(int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized Optional<ObjectNode> get(String key) {
        Cached entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.outputs());
    }

    @Override
    public synchronized void put(String key, ObjectNode outputs, Duration ttl) {
        entries.put(key, new Cached(outputs.deepCopy(), clock.instant().plus(ttl)));
    }

    public synchronized int size() {
        return entries.size();
    }
}

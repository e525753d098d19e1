package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.spi.DocumentRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A tiny DocumentRepository for tests: collections of documents in maps, ordered by key. */
final class InMemoryDocuments implements DocumentRepository {

    private final Map<String, TreeMap<String, Document>> collections = new ConcurrentHashMap<>();

    @Override
    public synchronized Optional<JsonNode> find(String collection, String key) {
        return Optional.ofNullable(collections.getOrDefault(collection, new TreeMap<>()).get(key)).map(d -> d.body().deepCopy());
    }

    @Override
    public synchronized List<Document> list(String collection) {
        return List.copyOf(collections.getOrDefault(collection, new TreeMap<>()).values());
    }

    @Override
    public synchronized void put(String collection, String key, JsonNode body) {
        collections.computeIfAbsent(collection, c -> new TreeMap<>()).put(key, new Document(key, body.deepCopy(), Instant.now()));
    }

    @Override
    public synchronized boolean delete(String collection, String key) {
        TreeMap<String, Document> c = collections.get(collection);
        return c != null && c.remove(key) != null;
    }
}

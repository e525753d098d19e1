package io.qflow.engine.internal.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.spi.DocumentRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Documents in memory: what {@link io.qflow.engine.Engine} uses outside OSGi unless given a store. */
public final class InMemoryDocumentRepository implements DocumentRepository {

    private final Map<String, ConcurrentSkipListMap<String, Document>> collections = new ConcurrentHashMap<>();

    @Override
    public Optional<JsonNode> find(String collection, String key) {
        return Optional.ofNullable(collection(collection).get(key)).map(Document::body);
    }

    @Override
    public List<Document> list(String collection) {
        return List.copyOf(collection(collection).values());
    }

    @Override
    public void put(String collection, String key, JsonNode body) {
        collection(collection).put(key, new Document(key, body.deepCopy(), Instant.now()));
    }

    @Override
    public boolean delete(String collection, String key) {
        return collection(collection).remove(key) != null;
    }

    private ConcurrentSkipListMap<String, Document> collection(String name) {
        return collections.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>());
    }
}

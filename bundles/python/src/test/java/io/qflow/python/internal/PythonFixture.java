package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.sdk.NodeType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real adapter for tests: real interpreters (pyenv's 3.11 and 3.13 on these machines), worker
 * processes, the process backend with whatever isolation the host allows; documents in memory and
 * node types collected in a map instead of OSGi services.
 */
final class PythonFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path data;
    final InMemoryDocuments documents;
    final Map<String, NodeType> types = new ConcurrentHashMap<>();
    final PythonAdapter adapter;

    PythonFixture(Path data, Map<String, String> extra) {
        this(data, new InMemoryDocuments(), extra);
    }

    PythonFixture(Path data, InMemoryDocuments documents, Map<String, String> extra) {
        this.data = data;
        this.documents = documents;
        Map<String, String> props = new HashMap<>();
        props.put("qflow.data", data.toString());
        props.put("qflow.python.version", "3.13");
        props.putAll(extra);
        PythonSettings settings = PythonSettings.from(props::get);
        this.adapter = new PythonAdapter(settings, JSON, documents, type -> {
            types.put(type.descriptor().type(), type);
            return () -> types.remove(type.descriptor().type(), type);
        });
        adapter.start();
    }

    NodeType type(String id) {
        NodeType t = types.get(id);
        if (t == null) {
            throw new AssertionError("no node type " + id + " registered; have " + types.keySet());
        }
        return t;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        adapter.close();
    }
}

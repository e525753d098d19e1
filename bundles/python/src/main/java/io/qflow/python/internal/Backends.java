package io.qflow.python.internal;

import io.qflow.python.spi.PythonBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The backends known now: the built-in process backend plus those other bundles register (docker). */
final class Backends {

    private final Map<String, PythonBackend> byName = new ConcurrentHashMap<>();

    Backends(PythonBackend process) {
        byName.put(process.name(), process);
    }

    void add(PythonBackend backend) {
        byName.put(backend.name(), backend);
    }

    boolean remove(PythonBackend backend) {
        return byName.remove(backend.name(), backend);
    }

    Optional<PythonBackend> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    List<PythonBackend> all() {
        return new ArrayList<>(byName.values());
    }
}

package io.qflow.python.internal;

import java.util.List;

/**
 * What a node or request asks for: backend, Python version and requirements (already merged from
 * imports and explicit specifiers). {@code version} null means the default.
 */
record EnvironmentChoice(String backend, String version, List<String> requirements) {
    EnvironmentChoice {
        backend = backend == null || backend.isBlank() ? ProcessBackend.NAME : backend;
        requirements = List.copyOf(requirements);
    }
}

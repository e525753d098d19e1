package io.qflow.python.internal;

import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.PipOptions;
import io.qflow.python.spi.PythonBackend;
import io.qflow.python.spi.PythonBackendException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Environments by (backend, key): each is prepared once per runtime; concurrent requests for the same
 * one wait for the one build and all see its pip output. A failed build is forgotten so that the
 * next request tries again (after the user fixed the wheel folder, say).
 */
final class Environments {

    static final String MARKER = ".qflow-env.json";

    private final PipOptions pip;
    private final Map<String, Build> builds = new ConcurrentHashMap<>();

    Environments(PipOptions pip) {
        this.pip = pip;
    }

    EnvironmentSpec spec(String version, List<String> requirements) {
        return new EnvironmentSpec(Requirements.environmentKey(version, requirements), version, requirements, pip);
    }

    /** Prepares the environment with the backend, or waits for the build already under way. */
    void prepare(PythonBackend backend, EnvironmentSpec env, Consumer<String> progress) throws PythonBackendException, InterruptedException {
        String id = backend.name() + "/" + env.key();
        Build mine = new Build(env, backend.name());
        Build build = builds.computeIfAbsent(id, k -> mine);
        if (build.done.isDone() && !build.done.isCompletedExceptionally()) {
            return;
        }
        build.listeners.add(progress);
        build.output.forEach(progress);
        if (build == mine) {
            try {
                backend.prepare(env, line -> {
                    mine.output.add(line);
                    mine.listeners.forEach(l -> l.accept(line));
                });
                mine.done.complete(null);
            } catch (PythonBackendException | RuntimeException e) {
                builds.remove(id, mine);
                mine.done.completeExceptionally(e);
                throw e;
            }
        } else {
            try {
                build.done.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof PythonBackendException p) {
                    throw p;
                }
                throw new PythonBackendException("python.install_failed", String.valueOf(e.getCause().getMessage()), null, e.getCause());
            } finally {
                build.listeners.remove(progress);
            }
        }
    }

    /** Builds known to this runtime: key, backend, version, requirements, state. */
    List<Build> builds() {
        return new ArrayList<>(builds.values());
    }

    static final class Build {
        final EnvironmentSpec spec;
        final String backend;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final List<String> output = new CopyOnWriteArrayList<>();
        final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

        Build(EnvironmentSpec spec, String backend) {
            this.spec = spec;
            this.backend = backend;
        }

        String state() {
            return !done.isDone() ? "building" : done.isCompletedExceptionally() ? "failed" : "ready";
        }
    }
}

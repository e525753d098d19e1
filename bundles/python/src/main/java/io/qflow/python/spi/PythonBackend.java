package io.qflow.python.spi;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A place where Python workers run: host processes ({@code process}), containers ({@code docker}).
 * Registered as an OSGi service; the adapter picks the backend whose {@link #name()} a workflow or
 * node asks for ({@code settings.python.backend}, default {@code process}).
 *
 * <p>Threading: every method may be called concurrently from many virtual threads and may block.
 * The adapter never calls {@link #start} for an environment before {@link #prepare} returned for it
 * (in this runtime, for this backend).
 */
@ConsumerType
public interface PythonBackend {

    /** Stable backend id: {@code process}, {@code docker}. */
    String name();

    /**
     * Whether workers are bound to one workflow execution ({@link WorkerScope#EXECUTION}: the
     * adapter reuses a worker only for calls of the same execution and calls
     * {@link #executionFinished} when that execution is over) or may serve any execution of the
     * same environment and limits ({@link WorkerScope#SHARED}).
     */
    WorkerScope scope();

    /**
     * What this backend can do here and now: interpreter versions it offers, which limits it
     * enforces, and why not. Shown by {@code GET /api/v1/python/backends} and written to the log
     * of every node run whose limits it cannot enforce. Must be fast (cache it).
     */
    BackendStatus status();

    /**
     * Makes an environment ready: the interpreter of {@link EnvironmentSpec#pythonVersion()} with
     * exactly {@link EnvironmentSpec#requirements()} installed, honouring {@link EnvironmentSpec#pip()}
     * (index, find-links, no-index: tests install offline from a wheel folder). Idempotent and
     * durable: an environment once built is reused, also after a restart; the adapter already makes
     * concurrent calls for the same {@link EnvironmentSpec#key()} wait for one build, but a backend
     * shared by several runtimes must tolerate them too.
     *
     * @param progress receives pip's output line by line as it comes (streamed to the client)
     * @throws PythonBackendException code {@code python.version_unavailable} when no interpreter of
     *     that version exists for this backend, {@code python.install_failed} with pip's whole
     *     output as {@link PythonBackendException#detail()} when an install fails
     */
    void prepare(EnvironmentSpec environment, Consumer<String> progress) throws PythonBackendException;

    /**
     * Starts one worker: {@code python worker.py} (the script at {@link WorkerSpec#workerScript()},
     * shipped in the adapter bundle) running in the prepared environment under the given limits,
     * with its stdin/stdout connected to the returned {@link WorkerProcess}. Returns once the
     * process is started; the adapter reads the worker's {@code hello} frame itself.
     *
     * @throws PythonBackendException code {@code python.worker_start} when it cannot start
     */
    WorkerProcess start(WorkerSpec spec) throws PythonBackendException;

    /**
     * The execution is over (succeeded, failed, cancelled, or idle for the adapter's idle timeout):
     * the adapter has already killed or released every worker of it; a backend with
     * {@link WorkerScope#EXECUTION} removes what it held for it (a container). Default: nothing.
     */
    default void executionFinished(String executionId) {
    }

    /** Where workers of a backend may be reused. */
    enum WorkerScope { SHARED, EXECUTION }
}

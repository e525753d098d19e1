package io.qflow.python.spi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What worker to start.
 *
 * @param environment  the (already prepared) environment to run in
 * @param limits       resource limits to enforce on the worker and everything it starts
 * @param executionId  the workflow execution the worker is for; {@code null} for work outside an
 *                     execution (analysis, a test run from the API)
 * @param workerScript {@code worker.py} on the host's file system, readable by anyone (a container
 *                     backend copies it in or bind-mounts it read-only); the worker takes the
 *                     limits as arguments, see PROTOCOL.md "Starting a worker"
 */
public record WorkerSpec(EnvironmentSpec environment, Limits limits, String executionId, Path workerScript) {
    public WorkerSpec {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(workerScript, "workerScript");
    }
}

package io.qflow.python.docker.internal;

import io.qflow.python.spi.Limits;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What makes two worker containers interchangeable: the same image and interpreter, the same
 * resource limits (a container's limits are fixed when it is created), the same worker script.
 * The per-call timeout is not part of it: the adapter enforces it by killing.
 *
 * @param image        the image (a base Python image or a derived environment image)
 * @param python       the interpreter inside it ({@code python3} or the environment's venv python)
 * @param memoryBytes  memory limit of the container, swap included (no swap)
 * @param nanoCpus     CPU limit in billionths of a CPU
 * @param pidsLimit    processes and threads the container may have at once
 * @param network      whether the container gets the engine's default network instead of none
 * @param workerScript the worker script on the host, bind-mounted read-only
 */
record ContainerKey(String image, String python, long memoryBytes, long nanoCpus, long pidsLimit, boolean network,
        Path workerScript) {

    /* The container's own init and the idle keeper process: both count against the pids limit. */
    static final int CONTAINER_OVERHEAD_PIDS = 2;

    ContainerKey {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(python, "python");
        Objects.requireNonNull(workerScript, "workerScript");
    }

    static ContainerKey of(EnvironmentImages.Image image, Limits limits, Path workerScript) {
        return new ContainerKey(image.name(), image.python(), limits.memoryBytes(),
                Math.round(limits.cpus() * 1_000_000_000d), limits.maxProcesses() + CONTAINER_OVERHEAD_PIDS,
                limits.network(), workerScript.toAbsolutePath().normalize());
    }
}

package io.qflow.python.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of one worker. Defaults (node setting {@code limits}, workflow
 * {@code settings.python.limits}): 30 s, 512 MB, half a CPU, no network, 64 processes.
 *
 * @param timeout      wall-clock time of one call; the adapter enforces it by killing the worker
 * @param memoryBytes  memory of the worker and its children
 * @param cpus         CPU share (0.5 = half a CPU)
 * @param network      whether the worker may use the network
 * @param maxProcesses processes/threads the worker may have at once (fork bombs stop here)
 */
public record Limits(Duration timeout, long memoryBytes, double cpus, boolean network, int maxProcesses) {

    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 512L * 1024 * 1024, 0.5, false, 64);

    public Limits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || memoryBytes <= 0 || cpus <= 0 || maxProcesses <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + timeout + ", " + memoryBytes + " bytes, "
                    + cpus + " cpus, " + maxProcesses + " processes");
        }
    }
}

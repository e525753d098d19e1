package io.qflow.python.spi;

import java.util.List;
import java.util.Map;

/**
 * What a backend offers here and now.
 *
 * @param available   whether it can run workers at all (a Docker engine that cannot be reached: false)
 * @param versions    Python versions ({@code major.minor}) it can run, e.g. {@code 3.11}, {@code 3.13}
 * @param enforced    per limit ({@code timeout}, {@code memory}, {@code cpu}, {@code network},
 *                    {@code processes}): how it is enforced, or why it cannot be, e.g.
 *                    {@code "cgroup pids.max"} or {@code "NOT ENFORCED: unshare --net failed: ..."}
 * @param message     a human summary, e.g. the reason it is unavailable
 */
public record BackendStatus(boolean available, List<String> versions, Map<String, String> enforced, String message) {
    public BackendStatus {
        versions = List.copyOf(versions);
        enforced = Map.copyOf(enforced);
    }

    /** Prefix of an {@link #enforced()} value for a limit that is not enforced. */
    public static final String NOT_ENFORCED = "NOT ENFORCED: ";
}

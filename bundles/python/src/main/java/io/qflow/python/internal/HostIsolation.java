package io.qflow.python.internal;

import io.qflow.python.spi.BackendStatus;
import io.qflow.python.spi.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the host lets the process backend enforce, found out once by trying: {@code unshare} for a
 * network and PID namespace (no network; killing the worker kills everything it started), and a
 * writable cgroup hierarchy (v1 {@code pids}/{@code cpu} controllers or v2 with them delegated) for
 * a process limit and a CPU share per worker. Memory is {@code RLIMIT_AS}, set by the worker itself,
 * backed by a v1 memory group where there is one.
 */
final class HostIsolation {

    private static final Logger LOG = LoggerFactory.getLogger(HostIsolation.class);
    private static final String GROUP = "qflow-python";

    private final boolean unshare;
    private final String unshareProblem;
    private final Cgroups cgroups;
    private final AtomicLong counter = new AtomicLong();
    /**
     * Part of every worker's cgroup name: the pid and a counter alone repeat when the bundle is
     * updated (a new instance counts from 1 again while the old one's workers still run) or a pid
     * is reused, and two workers in one group kill each other when either goes.
     */
    private final String instance = Long.toHexString(new java.security.SecureRandom().nextLong() >>> 16);

    private HostIsolation(boolean unshare, String unshareProblem, Cgroups cgroups) {
        this.unshare = unshare;
        this.unshareProblem = unshareProblem;
        this.cgroups = cgroups;
    }

    static HostIsolation probe() {
        String problem = null;
        boolean ok;
        try {
            Process p = new ProcessBuilder("unshare", "--net", "--pid", "--fork", "--kill-child", "true").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                problem = "unshare --net --pid failed: " + out;
            }
        } catch (IOException e) {
            ok = false;
            problem = "unshare is not available: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
            problem = "interrupted while probing unshare";
        }
        Cgroups cgroups = Cgroups.probe();
        HostIsolation isolation = new HostIsolation(ok, problem, cgroups);
        LOG.info("Python process backend limits: {}", isolation.enforced());
        return isolation;
    }

    /** Per limit: how it is enforced here, or {@code NOT ENFORCED: why}. */
    Map<String, String> enforced() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("timeout", "the worker is killed when a call overruns");
        m.put("memory", "RLIMIT_AS (address space) set by the worker" + (cgroups.memory != null ? ", cgroup v1 memory.limit_in_bytes" : ""));
        m.put("network", unshare ? "network namespace without interfaces (unshare --net)" : BackendStatus.NOT_ENFORCED + unshareProblem);
        m.put("processes", cgroups.pids != null ? "cgroup " + cgroups.describePids() : BackendStatus.NOT_ENFORCED + cgroups.problem);
        m.put("cpu", cgroups.cpu != null ? "cgroup " + cgroups.describeCpu() : BackendStatus.NOT_ENFORCED + cgroups.problem);
        m.put("kill", unshare ? "PID namespace: killing the worker kills all it started" : "process tree walk (a process that escapes the tree survives)");
        return m;
    }

    /** Sets up what one worker needs: the command prefix, the worker's own --limits, its cgroups. */
    Sandbox sandbox(Limits limits) {
        List<String> prefix = new ArrayList<>();
        if (unshare) {
            prefix.addAll(List.of("unshare", "--pid", "--fork", "--kill-child"));
            if (!limits.network()) {
                prefix.add(1, "--net");
            }
        }
        Map<String, Object> workerLimits = new LinkedHashMap<>();
        workerLimits.put("memoryBytes", limits.memoryBytes());
        List<Path> groups = cgroups.create("w" + ProcessHandle.current().pid() + "-" + instance + "-" + counter.incrementAndGet(), limits);
        if (!groups.isEmpty()) {
            workerLimits.put("cgroups", groups.stream().map(Path::toString).toList());
        }
        return new Sandbox(prefix, workerLimits, groups);
    }

    /** One worker's isolation: the cgroups to empty and remove when it goes. */
    record Sandbox(List<String> prefix, Map<String, Object> workerLimits, List<Path> groups) {

        /** SIGKILLs every process in the worker's cgroups (covers children that left the process tree). */
        void killAll() {
            for (Path group : groups) {
                try {
                    Path kill = group.resolve("cgroup.kill");
                    if (Files.exists(kill)) {
                        Files.writeString(kill, "1");
                        continue;
                    }
                    for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
                        if (!pid.isBlank()) {
                            ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone already
                }
            }
        }

        /** Removes the worker's cgroups once they are empty (retries briefly: the kernel reaps asynchronously). */
        void close() {
            for (Path group : groups) {
                for (int i = 0; i < 50 && Files.exists(group); i++) {
                    try {
                        killAll();
                        Files.delete(group);
                    } catch (IOException e) {
                        try {
                            Thread.sleep(20); // waiting for the kernel to reap, not for a test: bounded retries
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    /** The cgroup folders under which per-worker groups are made, or why there are none. */
    static final class Cgroups {
        final Path pids;
        final Path cpu;
        /** v1 memory controller group, or null: a hard backstop behind RLIMIT_AS (children and native allocations). */
        Path memory;
        final boolean v2;
        final String problem;

        private Cgroups(Path pids, Path cpu, boolean v2, String problem) {
            this.pids = pids;
            this.cpu = cpu;
            this.v2 = v2;
            this.problem = problem;
        }

        static Cgroups probe() {
            Path root = Path.of("/sys/fs/cgroup");
            if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
                return probeV2(root);
            }
            Path pids = makeGroup(root.resolve("pids"), "pids", "pids.max");
            Path cpu = makeGroup(root.resolve("cpu"), "cpu", "cpu.cfs_quota_us");
            Path memory = makeGroup(root.resolve("memory"), "memory", "memory.limit_in_bytes");
            String problem = pids == null || cpu == null
                    ? "no writable cgroup " + (pids == null ? "pids" : "cpu") + " controller under " + root
                    + " (run as root with the cgroup file system mounted read-write)" : null;
            Cgroups groups = new Cgroups(pids, cpu, false, problem);
            groups.memory = memory;
            return groups;
        }

        private static Cgroups probeV2(Path root) {
            Path base = root.resolve(GROUP);
            try {
                String controllers = Files.readString(root.resolve("cgroup.controllers"));
                if (!controllers.contains("pids") || !controllers.contains("cpu")) {
                    return new Cgroups(null, null, true, "cgroup v2 without the pids and cpu controllers");
                }
                Files.writeString(root.resolve("cgroup.subtree_control"), "+pids +cpu");
                Files.createDirectories(base);
                Files.writeString(base.resolve("cgroup.subtree_control"), "+pids +cpu");
                return new Cgroups(base, base, true, null);
            } catch (IOException | RuntimeException e) {
                return new Cgroups(null, null, true, "cannot make a delegated cgroup v2 group " + base + ": " + e.getMessage());
            }
        }

        /**
         * {@code <controller>/<this process's own group>/qflow-python}: nested under the group the
         * runtime itself runs in, so workers stay inside whatever limits the host puts on Qflow.
         */
        private static Path makeGroup(Path controller, String name, String probeFile) {
            Path base = controller.resolve(ownGroup(name)).resolve(GROUP);
            try {
                Files.createDirectories(base);
                return Files.isWritable(base.resolve(probeFile)) || Files.exists(base.resolve(probeFile)) ? base : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** This process's group path in a v1 controller hierarchy, from /proc/self/cgroup ("4:memory:/a/b" gives "a/b"). */
        private static String ownGroup(String controller) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                    String[] parts = line.split(":", 3);
                    if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                        return parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux or no cgroups: the root of the hierarchy
            }
            return "";
        }

        String describePids() {
            return v2 ? "v2 pids.max" : "v1 pids.max";
        }

        String describeCpu() {
            return v2 ? "v2 cpu.max" : "v1 cpu.cfs_quota_us";
        }

        List<Path> create(String name, Limits limits) {
            List<Path> made = new ArrayList<>();
            long quota = Math.max(1000, Math.round(limits.cpus() * 100_000));
            try {
                if (v2 && pids != null) {
                    Path g = Files.createDirectory(pids.resolve(name));
                    made.add(g);
                    Files.writeString(g.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
                    Files.writeString(g.resolve("cpu.max"), quota + " 100000");
                    return made;
                }
                if (pids != null) {
                    Path g = Files.createDirectory(pids.resolve(name));
                    made.add(g);
                    Files.writeString(g.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
                }
                if (cpu != null) {
                    Path g = Files.createDirectory(cpu.resolve(name));
                    made.add(g);
                    Files.writeString(g.resolve("cpu.cfs_period_us"), "100000");
                    Files.writeString(g.resolve("cpu.cfs_quota_us"), Long.toString(quota));
                }
                if (memory != null) {
                    Path g = Files.createDirectory(memory.resolve(name));
                    made.add(g);
                    // RLIMIT_AS gives Python a MemoryError first; this stops what it does not cover (children, mmap).
                    Files.writeString(g.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes() + 64L * 1024 * 1024));
                }
            } catch (IOException e) {
                LOG.warn("Could not set up cgroup {} for a Python worker: {}", name, e.getMessage());
            }
            return made;
        }
    }
}

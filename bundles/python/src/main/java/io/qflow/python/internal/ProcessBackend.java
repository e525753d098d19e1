package io.qflow.python.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.python.spi.BackendStatus;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.Limits;
import io.qflow.python.spi.PythonBackend;
import io.qflow.python.spi.PythonBackendException;
import io.qflow.python.spi.WorkerProcess;
import io.qflow.python.spi.WorkerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code process} backend: workers are host processes of a discovered interpreter, in a venv
 * per environment under {@code ${qflow.data}/python/envs/<key>} (the bare interpreter when there are
 * no requirements). Limits: wall-clock timeout by the adapter; memory by {@code RLIMIT_AS}; no network
 * and a clean kill of every descendant by a network and PID namespace ({@code unshare}); CPU share and
 * process count by a cgroup per worker where the cgroup file system is writable. What cannot be
 * enforced on this host is said in {@link #status()} and in the log of each node run.
 */
final class ProcessBackend implements PythonBackend {

    static final String NAME = "process";

    private final Supplier<List<Interpreter>> interpreters;
    private final Path envsDir;
    private final ObjectMapper json;
    private final Supplier<HostIsolation> isolation;

    ProcessBackend(Supplier<List<Interpreter>> interpreters, Path envsDir, ObjectMapper json, Supplier<HostIsolation> isolation) {
        this.interpreters = interpreters;
        this.envsDir = envsDir;
        this.json = json;
        this.isolation = isolation;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WorkerScope scope() {
        return WorkerScope.SHARED;
    }

    @Override
    public BackendStatus status() {
        List<String> versions = interpreters.get().stream().map(Interpreter::version).toList();
        return new BackendStatus(!versions.isEmpty(), versions, isolation.get().enforced(),
                versions.isEmpty() ? "no Python 3 interpreter found (set qflow.python.interpreters)"
                        : "host processes; interpreters " + String.join(", ", versions));
    }

    Optional<Interpreter> interpreter(String version) {
        return interpreters.get().stream().filter(i -> i.version().equals(version)).findFirst();
    }

    /** The python executable of a prepared environment. */
    Path python(EnvironmentSpec env) throws PythonBackendException {
        if (env.requirements().isEmpty()) {
            return base(env).path();
        }
        return envsDir.resolve(env.key()).resolve("bin/python");
    }

    private Interpreter base(EnvironmentSpec env) throws PythonBackendException {
        return interpreter(env.pythonVersion()).orElseThrow(() -> new PythonBackendException("python.version_unavailable",
                "no Python " + env.pythonVersion() + " on this host (found: "
                        + String.join(", ", interpreters.get().stream().map(Interpreter::version).toList())
                        + "; add one with qflow.python.interpreters)"));
    }

    boolean isBuilt(EnvironmentSpec env) {
        return env.requirements().isEmpty() || Files.isRegularFile(envsDir.resolve(env.key()).resolve(Environments.MARKER));
    }

    @Override
    public void prepare(EnvironmentSpec env, Consumer<String> progress) throws PythonBackendException {
        Interpreter base = base(env);
        if (isBuilt(env)) {
            return;
        }
        Path target = envsDir.resolve(env.key());
        Path temp = envsDir.resolve(".build-" + env.key() + "-" + UUID.randomUUID());
        StringBuilder output = new StringBuilder();
        Consumer<String> sink = line -> {
            output.append(line).append('\n');
            progress.accept(line);
        };
        try {
            Files.createDirectories(envsDir);
            sink.accept("$ " + base.path() + " -m venv " + target);
            run(List.of(base.path().toString(), "-m", "venv", temp.toString()), sink, "python.install_failed",
                    "creating the venv failed", output);
            List<String> pip = new ArrayList<>(List.of(temp.resolve("bin/python").toString(), "-m", "pip", "install",
                    "--disable-pip-version-check", "--no-input", "--progress-bar", "off"));
            if (env.pip().noIndex()) {
                pip.add("--no-index");
            }
            if (env.pip().indexUrl() != null) {
                pip.addAll(List.of("--index-url", env.pip().indexUrl()));
            }
            env.pip().findLinks().forEach(link -> pip.addAll(List.of("--find-links", link)));
            pip.addAll(env.requirements());
            sink.accept("$ pip install " + String.join(" ", pip.subList(4, pip.size())));
            run(pip, sink, "python.install_failed", "pip could not install " + String.join(", ", env.requirements()), output);
            ObjectNode marker = json.createObjectNode();
            marker.put("key", env.key());
            marker.put("python", base.full());
            marker.putPOJO("requirements", env.requirements());
            marker.put("builtAt", java.time.Instant.now().toString());
            Files.writeString(temp.resolve(Environments.MARKER), json.writeValueAsString(marker));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another runtime sharing the data folder built it first: use theirs
                deleteTree(temp);
            }
            sink.accept("environment " + env.key() + " ready");
        } catch (IOException e) {
            deleteTree(temp);
            throw new PythonBackendException("python.install_failed", "building the environment failed: " + e.getMessage(),
                    output.toString(), e);
        } catch (PythonBackendException e) {
            deleteTree(temp);
            throw e;
        }
    }

    private static void run(List<String> command, Consumer<String> sink, String code, String failure, StringBuilder output)
            throws IOException, PythonBackendException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new PythonBackendException(code, failure + ": it ran for more than 10 minutes", output.toString(), null);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PythonBackendException(code, failure + ": interrupted", output.toString(), e);
        }
        if (p.exitValue() != 0) {
            throw new PythonBackendException(code, failure + " (exit " + p.exitValue() + ")", output.toString(), null);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a half-built temp folder is never used (no marker)
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    @Override
    public WorkerProcess start(WorkerSpec spec) throws PythonBackendException {
        Path python = python(spec.environment());
        HostIsolation.Sandbox sandbox = isolation.get().sandbox(spec.limits());
        List<String> command = new ArrayList<>(sandbox.prefix());
        command.addAll(List.of(python.toString(), "-u", "-I", "-X", "utf8", spec.workerScript().toString()));
        Map<String, Object> limits = new LinkedHashMap<>(sandbox.workerLimits());
        try {
            command.addAll(List.of("--limits", json.writeValueAsString(limits)));
            ProcessBuilder builder = new ProcessBuilder(command).directory(spec.workerScript().getParent().toFile());
            // The runtime's own settings (API tokens, the credentials key) are not the code's to read.
            builder.environment().keySet().removeIf(k -> k.startsWith("PYTHON") || k.startsWith("QFLOW_") || k.startsWith("JAVA_"));
            Process process = builder.start();
            return new HostWorker(process, sandbox, python + " pid " + process.pid());
        } catch (IOException e) {
            sandbox.close();
            throw new PythonBackendException("python.worker_start", "cannot start " + python + ": " + e.getMessage(), null, e);
        }
    }

    /** A worker host process; kill() takes its whole namespace and cgroup with it. */
    static final class HostWorker implements WorkerProcess {
        private final Process process;
        private final HostIsolation.Sandbox sandbox;
        private final String description;

        HostWorker(Process process, HostIsolation.Sandbox sandbox, String description) {
            this.process = process;
            this.sandbox = sandbox;
            this.description = description;
            process.onExit().thenRun(sandbox::close);
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void kill() {
            sandbox.killAll();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        /** How the process ended, when it has: signal or exit code. */
        String exitDescription() {
            try {
                if (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            int code = process.exitValue();
            return code > 128 ? "killed by signal " + (code - 128) + (code - 128 == 9 ? " (SIGKILL: out of memory or killed)" : "")
                    : "exit code " + code;
        }

        @Override
        public String describe() {
            return description;
        }
    }
}

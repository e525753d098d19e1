package io.qflow.itests.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code bin/qflow} process of a copied distribution, with its output in a log file. Not
 * thread-safe; the test drives it from one thread.
 */
final class QflowProcess implements AutoCloseable {

    private final Path home;
    private final Path data;
    private final Path log;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;
    private int port;

    private QflowProcess(Path home, Path data, Path log) {
        this.home = home;
        this.data = data;
        this.log = log;
    }

    /** Copies the distribution folder to {@code target} (its {@code data/} left empty) and prepares a process for it. */
    static QflowProcess copyOf(Path distribution, Path target, Path data) throws IOException {
        if (!Files.isExecutable(distribution.resolve("bin/qflow"))) {
            throw new IllegalStateException("no distribution at " + distribution
                    + ": build it first (mvn install, or ./qflow build, at the repository root)");
        }
        copyTree(distribution, target);
        return new QflowProcess(target, data, target.resolve("qflow-e2e.log"));
    }

    Path home() {
        return home;
    }

    Path plugins() {
        return home.resolve("plugins");
    }

    int port() {
        return port;
    }

    /** Sets an environment variable for the next starts, e.g. {@code QFLOW_DB_URL}. */
    QflowProcess withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts {@code bin/qflow} in the foreground on a free port; output appends to the log. */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        port = freePort();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/qflow").toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("QFLOW_PORT", Integer.toString(port));
        builder.environment().put("QFLOW_HOST", "127.0.0.1");
        builder.environment().put("QFLOW_DATA", data.toString());
        // the JDK running this test (21+, as Maven runs on it) runs the runtime too
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Files.writeString(log, "---- starting bin/qflow on port " + port + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Stops the runtime with SIGTERM (what Ctrl-C or a service manager sends) and waits for it;
     * forcibly after {@code grace}. Returns the exit code, or -1 if it had to be killed.
     */
    int stop(Duration grace) throws InterruptedException {
        if (process == null) {
            return 0;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        int exit;
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            exit = process.exitValue();
        } else {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            exit = -1;
        }
        children.forEach(ProcessHandle::destroyForcibly);
        return exit;
    }

    /**
     * The runtime's JVM: {@code bin/qflow} {@code exec}s java, so normally the started process
     * itself; a java child of it if a wrapper ever stays in between.
     */
    ProcessHandle jvm() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("not running");
        }
        ProcessHandle self = process.toHandle();
        if (isJava(self)) {
            return self;
        }
        Optional<ProcessHandle> child = self.descendants().filter(QflowProcess::isJava).findFirst();
        return child.orElseThrow(() -> new IllegalStateException("no java process under " + self.pid() + " ("
                + self.info().command().orElse("?") + ")"));
    }

    /**
     * Kills the runtime's JVM with SIGKILL ({@code kill -9}: no shutdown hook, no deactivation, no
     * flush) and waits until it is gone. Returns the moment it was seen gone: nothing it wrote can
     * be later than that.
     */
    Instant kill() throws InterruptedException {
        ProcessHandle jvm = jvm();
        List<ProcessHandle> others = process.descendants().filter(h -> h.pid() != jvm.pid()).toList();
        if (!jvm.destroyForcibly()) {
            throw new IllegalStateException("could not send SIGKILL to " + jvm.pid());
        }
        try {
            jvm.onExit().get(30, TimeUnit.SECONDS);
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("java " + jvm.pid() + " did not die after SIGKILL", e);
        }
        others.forEach(ProcessHandle::destroyForcibly);
        return Instant.now();
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> Path.of(c).getFileName().toString().equals("java")).orElse(false);
    }

    /** The last lines of the runtime's log, for failure reports. */
    String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(15));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(source);
                // a distribution that was started in place has state in data/: the copy starts clean
                if (relative.startsWith("data") && relative.getNameCount() > 1) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}

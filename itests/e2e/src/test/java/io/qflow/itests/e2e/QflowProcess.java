package io.qflow.itests.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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

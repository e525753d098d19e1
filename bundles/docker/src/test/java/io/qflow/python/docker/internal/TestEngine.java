package io.qflow.python.docker.internal;

import com.github.dockerjava.api.DockerClient;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.PipOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The real Docker engine the tests run against: {@code QFLOW_TEST_DOCKER_HOST}, else the socket of
 * {@code scripts/docker-test-engine.sh} ({@code unix:///tmp/qflow-docker/docker.sock}). There is
 * no skipping: without an engine and its Python images every Docker test fails, saying how to
 * start one.
 */
final class TestEngine {

    static final String DEFAULT_HOST = "unix:///tmp/qflow-docker/docker.sock";
    static final Map<String, String> IMAGES = Map.of("3.11", "qflow/python:3.11", "3.13", "qflow/python:3.13");

    private TestEngine() {
    }

    static String host() {
        String host = System.getenv("QFLOW_TEST_DOCKER_HOST");
        return host == null || host.isBlank() ? DEFAULT_HOST : host;
    }

    /** Fails (never skips) when the engine or an image is missing. */
    static void requireEngine(DockerClient client) {
        String how = " Start the test engine with `scripts/docker-test-engine.sh start` (installs docker.io and "
                + "debootstrap if missing, starts dockerd on a private socket, builds qflow/python:3.11 and :3.13 "
                + "from Debian packages) and export the QFLOW_TEST_DOCKER_HOST it prints; .ci/run does this.";
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new AssertionError("No Docker engine at " + host() + " (" + e + ")." + how, e);
        }
        IMAGES.values().forEach(image -> {
            try {
                client.inspectImageCmd(image).exec();
            } catch (RuntimeException e) {
                throw new AssertionError("The Docker engine at " + host() + " has no image " + image + "." + how, e);
            }
        });
    }

    static DockerSettings settings(int poolSize) {
        return new DockerSettings(host(), IMAGES, poolSize, DockerSettings.DEFAULT_USER);
    }

    static EnvironmentSpec bare(String version) {
        return new EnvironmentSpec("bare-" + version.replace('.', '-'), version, java.util.List.of(),
                new PipOptions(null, java.util.List.of(), true));
    }

    /**
     * The adapter's worker script, copied to a world-readable file (the container's unprivileged
     * user reads it through a read-only bind mount): from the adapter jar on the test class path,
     * else from the adapter's sources next to this module.
     */
    static Path workerScript(Path dir) throws IOException {
        Path target = dir.resolve("worker.py");
        try (InputStream in = TestEngine.class.getClassLoader().getResourceAsStream("io/qflow/python/internal/worker.py")) {
            if (in != null) {
                Files.copy(in, target);
            } else {
                Path source = Path.of("../python/src/main/resources/io/qflow/python/internal/worker.py");
                if (!Files.isRegularFile(source)) {
                    throw new AssertionError("worker.py of io.qflow.python not found on the class path nor at "
                            + source.toAbsolutePath());
                }
                Files.copy(source, target);
            }
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        return target;
    }
}

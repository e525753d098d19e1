package io.qflow.python.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.qflow.python.spi.BackendStatus;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.Limits;
import io.qflow.python.spi.PipOptions;
import io.qflow.python.spi.PythonBackendException;
import io.qflow.python.spi.WorkerSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environments with requirements become derived images, installed offline from a wheel folder
 * (PyPI is unreachable here, and the build container has no network anyway).
 */
class EnvironmentImagesTest {

    @TempDir
    static Path dir;
    static DockerClient docker;
    static DockerPythonBackend backend;
    static Path wheels;
    static final List<String> built = new ArrayList<>();

    @BeforeAll
    static void engine() throws IOException {
        docker = DockerPythonBackend.newClient(TestEngine.host());
        TestEngine.requireEngine(docker);
        backend = new DockerPythonBackend(TestEngine.settings(0), "test-" + UUID.randomUUID().toString().substring(0, 8));
        wheels = Files.createDirectories(dir.resolve("wheels"));
        writeWheel(wheels, "qflowdemo", "1.0", "def greet(name):\n    return 'hello ' + name + ' from qflowdemo 1.0'\n");
    }

    @AfterAll
    static void close() throws IOException {
        for (String image : built) {
            try {
                docker.removeImageCmd(image).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // not built
            }
        }
        if (backend != null) {
            backend.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    /** A pure-Python wheel, written directly (no network, no build tools). */
    static void writeWheel(Path folder, String name, String version, String init) throws IOException {
        String info = name + "-" + version + ".dist-info/";
        Map<String, String> files = Map.of(
                name + "/__init__.py", init,
                info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n",
                info + "WHEEL", "Wheel-Version: 1.0\nGenerator: qflow-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        try (OutputStream out = Files.newOutputStream(folder.resolve(name + "-" + version + "-py3-none-any.whl"));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            StringBuilder record = new StringBuilder();
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                record.append(f.getKey()).append(",,\n");
            }
            zip.putNextEntry(new ZipEntry(info + "RECORD"));
            zip.write(record.append(info).append("RECORD,,\n").toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }

    private static EnvironmentSpec env(String version, String requirement) {
        String key = "t" + UUID.randomUUID().toString().replace("-", "");
        built.add(EnvironmentImages.ENV_REPOSITORY + ":" + key);
        return new EnvironmentSpec(key, version, List.of(requirement),
                new PipOptions(null, List.of(wheels.toString()), true));
    }

    @Test
    void installsRequirementsOfflineIntoADerivedImageOnBothVersions() throws Exception {
        Path worker = TestEngine.workerScript(Files.createTempDirectory(dir, "w"));
        for (String version : List.of("3.11", "3.13")) {
            EnvironmentSpec env = env(version, "qflowdemo==1.0");
            List<String> progress = new ArrayList<>();
            backend.prepare(env, progress::add);
            assertTrue(progress.stream().anyMatch(l -> l.contains("Successfully installed qflowdemo-1.0")),
                    "pip's output streamed: " + progress);

            List<String> again = new ArrayList<>();
            backend.prepare(env, again::add);
            assertEquals(List.of(), again, "built once, then reused");

            String execution = "exec-" + UUID.randomUUID();
            WorkerClient client = new WorkerClient(backend.start(new WorkerSpec(env, Limits.DEFAULT, execution, worker)));
            String code = "import sys, qflowdemo\ndef f(name):\n    return [qflowdemo.greet(name), sys.version, sys.prefix]\n";
            var result = client.call(code, "f", Map.of("name", "ada"), java.time.Duration.ofSeconds(30)).result();
            assertEquals("hello ada from qflowdemo 1.0", result.get(0).asText());
            assertTrue(result.get(1).asText().startsWith(version + "."), result.toString());
            assertEquals(EnvironmentImages.VENV, result.get(2).asText());
            backend.executionFinished(execution);
        }
    }

    @Test
    void aRequirementThatCannotBeInstalledFailsWithPipsWholeOutput() {
        EnvironmentSpec env = env("3.11", "doesnotexist==9.9");
        PythonBackendException e = assertThrows(PythonBackendException.class, () -> backend.prepare(env, line -> { }));
        assertEquals("python.install_failed", e.code());
        assertTrue(e.detail().contains("No matching distribution found for doesnotexist==9.9"), e.detail());
        assertFalse(backend.containers().getOrDefault("executions", 0) > 0);
        assertFalse(new EnvironmentImages(docker, TestEngine.IMAGES, "x").exists(EnvironmentImages.envImage(env)),
                "nothing half-built is kept");
    }

    @Test
    void anUnreachableEngineIsReportedWithHowToStartOne() {
        DockerPythonBackend nowhere = new DockerPythonBackend(
                new DockerSettings("unix:///nonexistent/docker.sock", TestEngine.IMAGES, 0, DockerSettings.DEFAULT_USER), "x");
        try {
            BackendStatus status = nowhere.status();
            assertFalse(status.available());
            assertTrue(status.message().contains("scripts/docker-test-engine.sh start"), status.message());
            PythonBackendException e = assertThrows(PythonBackendException.class,
                    () -> nowhere.prepare(TestEngine.bare("3.11"), line -> { }));
            assertEquals("python.backend_unavailable", e.code());
        } finally {
            nowhere.close();
        }
    }
}

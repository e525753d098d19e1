package io.qflow.python.internal;

import static io.qflow.python.internal.PythonFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.python.PythonException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environments built offline from a wheel folder (PyPI is unreachable here): requirements from
 * imports, through the import->distribution table, built once and reused; pip's failure comes back whole.
 */
class EnvironmentTest {

    @TempDir
    static Path data;
    @TempDir
    static Path wheels;
    static PythonFixture python;

    @BeforeAll
    static void start() throws Exception {
        // "import qflowdemo" installs the distribution qflow-demo-tools (like "import yaml" installs pyyaml)
        writeWheel(wheels, "qflow_demo_tools", "1.0.0", "qflowdemo", "GREETING = 'hello from a wheel'\ndef shout(s):\n    return s.upper() + '!'\n");
        python = new PythonFixture(data, Map.of("qflow.python.findLinks", wheels.toString(), "qflow.python.noIndex", "true"));
    }

    @AfterAll
    static void stop() {
        python.close();
    }

    /** Writes a minimal pure-Python wheel (PEP 427): the module, METADATA, WHEEL, RECORD. */
    static void writeWheel(Path dir, String distribution, String version, String module, String source) throws Exception {
        String distInfo = distribution + "-" + version + ".dist-info/";
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put(module + "/__init__.py", source);
        files.put(distInfo + "METADATA", "Metadata-Version: 2.1\nName: " + distribution.replace('_', '-') + "\nVersion: " + version + "\n");
        files.put(distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: qflow-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, String> f : files.entrySet()) {
            byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
            String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
            record.append(f.getKey()).append(",sha256=").append(hash).append(',').append(bytes.length).append('\n');
        }
        record.append(distInfo).append("RECORD,,\n");
        files.put(distInfo + "RECORD", record.toString());
        try (OutputStream out = Files.newOutputStream(dir.resolve(distribution + "-" + version + "-py3-none-any.whl"));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }

    static final String CODE = "import qflowdemo\n\ndef greet(name: str) -> str:\n    return qflowdemo.shout(qflowdemo.GREETING + ' to ' + name)\n";

    @Test
    void requirementsFromImportsAreInstalledOfflineOnceAndReused() throws Exception {
        List<String> progress = new CopyOnWriteArrayList<>();
        String request = "{\"python\": \"3.11\", \"code\": " + PythonFixture.JSON.writeValueAsString(CODE)
                + ", \"requirementsTxt\": \"# pinned\\nqflow-demo-tools==1.0.0\\n\"}";
        JsonNode env = python.adapter.prepareEnvironment(json(request), progress::add);
        assertEquals("[\"qflow-demo-tools==1.0.0\"]", env.get("requirements").toString());
        assertTrue(progress.stream().anyMatch(l -> l.contains("Successfully installed qflow-demo-tools-1.0.0")), String.join("\n", progress));
        Path venv = data.resolve("python/envs").resolve(env.get("key").asText());
        assertTrue(Files.isRegularFile(venv.resolve(Environments.MARKER)));

        List<String> second = new CopyOnWriteArrayList<>();
        JsonNode again = python.adapter.prepareEnvironment(json(request), second::add);
        assertEquals(env.get("key"), again.get("key"));
        assertTrue(second.isEmpty(), "built again: " + second);

        JsonNode r = python.adapter.test(json("{\"python\": \"3.11\", \"code\": " + PythonFixture.JSON.writeValueAsString(CODE)
                + ", \"function\": \"greet\", \"requirements\": [\"qflow-demo-tools==1.0.0\"], \"inputs\": {\"name\": \"Ada\"}}"));
        assertEquals("HELLO FROM A WHEEL TO ADA!", r.get("result").asText(), r.toString());
        assertEquals("3.11", r.get("python").asText());
    }

    @Test
    void theAnalysisMapsImportsToDistributions() throws Exception {
        JsonNode a = python.adapter.analyze(json("{\"code\": \"import yaml\\nimport cv2\\nimport bs4\\nimport qflowdemo\\nimport json\\n\"}"));
        assertEquals("[\"pyyaml\",\"opencv-python\",\"beautifulsoup4\",\"qflowdemo\"]", a.get("requirements").toString());
    }

    @Test
    void aRequirementThatCannotBeInstalledFailsWithPipsOutput() {
        PythonException e = assertThrows(PythonException.class, () -> python.adapter.prepareEnvironment(
                json("{\"requirements\": [\"no-such-package-anywhere==9.9\"]}"), line -> { }));
        assertEquals("python.install_failed", e.code());
        assertTrue(e.detail().contains("No matching distribution found for no-such-package-anywhere==9.9"), e.detail());
        // nothing half-built is left to be mistaken for an environment
        try (var dirs = Files.list(data.resolve("python/envs"))) {
            assertTrue(dirs.noneMatch(d -> d.getFileName().toString().startsWith(".build-")));
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void concurrentRequestsForOneEnvironmentWaitForOneBuild() throws Exception {
        String request = "{\"python\": \"3.13\", \"requirements\": [\"qflow-demo-tools\"]}";
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> prepare(request, a));
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> prepare(request, b));
        assertEquals(first.get().get("key"), second.get().get("key"));
        long venvs = a.stream().filter(l -> l.contains(" -m venv ")).count() + b.stream().filter(l -> l.contains(" -m venv ")).count();
        // one build; the waiting request sees the same lines replayed, never a second "python -m venv"
        assertTrue(venvs <= 2 && a.stream().filter(l -> l.contains(" -m venv ")).count() <= 1, a + "\n" + b);
        String key = first.get().get("key").asText();
        try (var dirs = Files.list(data.resolve("python/envs"))) {
            assertEquals(1, dirs.filter(d -> d.getFileName().toString().equals(key)).count());
        }
    }

    private static JsonNode prepare(String request, List<String> progress) {
        try {
            return python.adapter.prepareEnvironment(json(request), progress::add);
        } catch (PythonException e) {
            throw new AssertionError(e.getMessage() + "\n" + e.detail(), e);
        }
    }
}

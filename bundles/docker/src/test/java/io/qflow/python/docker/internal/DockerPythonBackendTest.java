package io.qflow.python.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.Limits;
import io.qflow.python.spi.WorkerProcess;
import io.qflow.python.spi.WorkerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker backend against a real Docker engine (see {@link TestEngine}): versions, isolation
 * (network, memory, timeout, processes), and one container per execution.
 */
class DockerPythonBackendTest {

    @TempDir
    static Path dir;
    static Path workerScript;
    static DockerPythonBackend backend;
    static DockerClient docker;

    @BeforeAll
    static void engine() throws Exception {
        docker = DockerPythonBackend.newClient(TestEngine.host());
        TestEngine.requireEngine(docker);
        workerScript = TestEngine.workerScript(dir);
        backend = new DockerPythonBackend(TestEngine.settings(1), "test-" + UUID.randomUUID().toString().substring(0, 8));
        for (String version : List.of("3.11", "3.13")) {
            backend.prepare(TestEngine.bare(version), line -> { });
        }
    }

    @AfterAll
    static void close() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    private static WorkerSpec spec(String version, Limits limits, String execution) {
        return new WorkerSpec(TestEngine.bare(version), limits, execution, workerScript);
    }

    private static WorkerClient worker(String version, Limits limits, String execution) throws Exception {
        return new WorkerClient(backend.start(spec(version, limits, execution)));
    }

    private static String newExecution() {
        return "exec-" + UUID.randomUUID();
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    private static boolean removed(String containerId) {
        try {
            docker.inspectContainerCmd(containerId).exec();
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    static final String VERSION = """
            import sys, socket
            def version():
                return {"version": sys.version, "host": socket.gethostname()}
            """;

    @Test
    void runsAFunctionOnPython311AndPython313() throws Exception {
        for (String version : List.of("3.11", "3.13")) {
            String execution = newExecution();
            WorkerClient client = worker(version, Limits.DEFAULT, execution);
            JsonNode result = client.call(VERSION, "version").result();
            assertTrue(result.get("version").asText().startsWith(version + "."),
                    "sys.version inside the container: " + result);
            assertTrue(client.hello.path("python").asText().startsWith(version + "."), client.hello.toString());
            backend.executionFinished(execution);
        }
    }

    @Test
    void containersHaveTheDefaultLimits() throws Exception {
        String execution = newExecution();
        worker("3.11", Limits.DEFAULT, execution);
        String id = backend.containersOf(execution).getFirst();
        InspectContainerResponse inspect = docker.inspectContainerCmd(id).exec();
        HostConfig host = inspect.getHostConfig();
        assertEquals("none", host.getNetworkMode());
        assertEquals(512L * 1024 * 1024, host.getMemory());
        assertEquals(512L * 1024 * 1024, host.getMemorySwap(), "no swap on top of the memory limit");
        assertEquals(500_000_000L, host.getNanoCPUs(), "half a CPU");
        assertEquals(64L + ContainerKey.CONTAINER_OVERHEAD_PIDS, host.getPidsLimit());
        assertTrue(host.getReadonlyRootfs());
        assertEquals("65534:65534", inspect.getConfig().getUser());
        backend.executionFinished(execution);
    }

    static final String CONNECT = """
            import socket
            def connect():
                names = [name for _, name in socket.if_nameindex()]
                try:
                    socket.create_connection(("1.1.1.1", 53), timeout=3).close()
                    return {"connected": True, "interfaces": names}
                except OSError as e:
                    return {"connected": False, "error": str(e), "interfaces": names}
            """;

    @Test
    void aSocketConnectionFromInsideFails() throws Exception {
        String execution = newExecution();
        JsonNode result = worker("3.13", Limits.DEFAULT, execution).call(CONNECT, "connect").result();
        assertFalse(result.get("connected").asBoolean(), result.toString());
        assertTrue(result.get("error").asText().contains("unreachable"), result.toString());
        assertEquals("[\"lo\"]", result.get("interfaces").toString(), "only loopback inside");
        backend.executionFinished(execution);
    }

    static final String HOG = """
            def hog():
                chunks = []
                while True:
                    chunks.append(bytearray(16 * 1024 * 1024))
            """;

    static final String ADD = """
            def add(a, b):
                return a + b
            """;

    @Test
    void aMemoryBombIsStoppedAndNothingElseIsHurt() throws Exception {
        String execution = newExecution();
        String other = newExecution();
        WorkerClient bystander = worker("3.11", Limits.DEFAULT, other);
        WorkerClient bomb = worker("3.11", Limits.DEFAULT, execution);
        String container = backend.containersOf(execution).getFirst();

        WorkerClient.Outcome outcome = bomb.call(HOG, "hog", Map.of(), Duration.ofSeconds(30));
        System.out.println("[docker] memory bomb: " + outcome + "\n" + bomb.stderr());

        assertFalse(outcome.timedOut(), "the kernel stops it long before the timeout");
        if (outcome.reply() != null) {
            // Python may see the limit first (MemoryError) instead of the OOM killer
            assertEquals("python.memory", outcome.reply().path("error").path("code").asText(), outcome.toString());
        } else {
            assertTrue(bomb.stderr().contains("memory limit (512 MiB)"), "stderr explains: " + bomb.stderr());
            await("the worker is reported dead", Duration.ofSeconds(5), () -> !bomb.worker().isAlive());
        }
        // the other execution, the JVM and the container itself carry on
        assertEquals(5, bystander.call(ADD, "add", Map.of("a", 2, "b", 3), Duration.ofSeconds(30)).result().asInt());
        assertEquals(List.of(container), backend.containersOf(execution), "the container survives its worker");
        WorkerClient next = worker("3.11", Limits.DEFAULT, execution);
        assertEquals(7, next.call(ADD, "add", Map.of("a", 3, "b", 4), Duration.ofSeconds(30)).result().asInt());
        assertEquals(0, new ProcessBuilder("true").start().waitFor(), "the host can still start processes");
        backend.executionFinished(execution);
        backend.executionFinished(other);
    }

    static final String SPIN = """
            def spin():
                while True:
                    pass
            """;

    @Test
    void anInfiniteLoopIsKilledAtTheTimeout() throws Exception {
        String execution = newExecution();
        String other = newExecution();
        Limits twoSeconds = new Limits(Duration.ofSeconds(2), Limits.DEFAULT.memoryBytes(), 0.5, false, 64);
        WorkerClient looping = worker("3.13", twoSeconds, execution);
        String container = backend.containersOf(execution).getFirst();
        WorkerClient bystander = worker("3.13", Limits.DEFAULT, other);

        long start = System.nanoTime();
        WorkerClient.Outcome outcome = looping.call(SPIN, "spin", Map.of(), twoSeconds.timeout());
        long killedAfterMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[docker] infinite loop killed after " + killedAfterMs + " ms");

        assertTrue(outcome.timedOut(), outcome.toString());
        assertTrue(killedAfterMs >= 2000 && killedAfterMs < 5000, "killed after " + killedAfterMs + " ms");
        assertFalse(looping.worker().isAlive());
        await("the looping container is removed", Duration.ofSeconds(15), () -> removed(container));
        assertEquals(5, bystander.call(ADD, "add", Map.of("a", 2, "b", 3), Duration.ofSeconds(30)).result().asInt());
        // the execution's next node gets a fresh container
        WorkerClient next = worker("3.13", twoSeconds, execution);
        assertEquals(9, next.call(ADD, "add", Map.of("a", 4, "b", 5), Duration.ofSeconds(30)).result().asInt());
        assertNotEquals(container, backend.containersOf(execution).getFirst());
        backend.executionFinished(execution);
        backend.executionFinished(other);
    }

    @Test
    void killingOneWorkerSparesTheOtherWorkersOfItsExecution() throws Exception {
        String execution = newExecution();
        Limits twoSeconds = new Limits(Duration.ofSeconds(2), Limits.DEFAULT.memoryBytes(), 0.5, false, 64);
        WorkerClient looping = worker("3.11", twoSeconds, execution);
        WorkerClient sibling = worker("3.11", twoSeconds, execution);
        String container = backend.containersOf(execution).getFirst();

        assertTrue(looping.call(SPIN, "spin", Map.of(), twoSeconds.timeout()).timedOut());

        await("the looping worker is dead", Duration.ofSeconds(10), () -> !looping.worker().isAlive());
        assertTrue(sibling.worker().isAlive(), "the sibling lives on");
        assertEquals(3, sibling.call(ADD, "add", Map.of("a", 1, "b", 2), Duration.ofSeconds(30)).result().asInt());
        assertEquals(List.of(container), backend.containersOf(execution), "same container");
        backend.executionFinished(execution);
        await("the container is removed", Duration.ofSeconds(15), () -> removed(container));
    }

    static final String FORK_BOMB = """
            import os, time
            def bomb():
                parent = os.getpid()
                forks = 0
                while True:
                    try:
                        if os.fork() == 0:
                            while True:          # every child forks on, like a real bomb
                                try:
                                    os.fork()
                                except OSError:
                                    time.sleep(0.05)
                        forks += 1
                    except OSError as e:
                        return {"forks": forks, "error": str(e)}
            """;

    @Test
    void aForkBombIsContainedByThePidsLimit() throws Exception {
        String execution = newExecution();
        String other = newExecution();
        WorkerClient bomb = worker("3.11", Limits.DEFAULT, execution);
        String container = backend.containersOf(execution).getFirst();
        WorkerClient bystander = worker("3.11", Limits.DEFAULT, other);

        // a concurrent execution keeps answering while the bomb goes off
        AtomicInteger answered = new AtomicInteger();
        CompletableFuture<Void> concurrent = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    if (bystander.call(ADD, "add", Map.of("a", i, "b", 1), Duration.ofSeconds(30)).result().asInt() == i + 1) {
                        answered.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        WorkerClient.Outcome outcome = bomb.call(FORK_BOMB, "bomb", Map.of(), Duration.ofSeconds(30));
        concurrent.get();
        System.out.println("[docker] fork bomb: " + outcome);

        assertFalse(outcome.timedOut(), "fork fails at the pids limit: " + outcome);
        JsonNode result = outcome.result();
        assertTrue(result.get("forks").asInt() < 64, "stopped by the pids limit: " + result);
        assertTrue(result.get("error").asText().contains("Resource temporarily unavailable"), result.toString());
        assertEquals(20, answered.get(), "the concurrent execution answered every call");
        assertEquals(0, new ProcessBuilder("true").start().waitFor(), "the host can still start processes");
        // the adapter retires the execution: every process of the bomb goes with the container
        bomb.worker().kill();
        await("the bomb's container is removed", Duration.ofSeconds(15), () -> removed(container));
        backend.executionFinished(execution);
        backend.executionFinished(other);
    }

    @Test
    void oneContainerPerExecutionReusedAcrossItsNodesAndRemovedAfter() throws Exception {
        String execution = newExecution();
        WorkerClient first = worker("3.11", Limits.DEFAULT, execution);
        String firstHost = first.call(VERSION, "version").result().get("host").asText();
        // a second node of the same execution reuses the worker (the adapter's choice) ...
        assertEquals(firstHost, first.call(VERSION, "version").result().get("host").asText());
        // ... and a parallel one gets another worker in the same container
        WorkerClient parallel = worker("3.11", Limits.DEFAULT, execution);
        assertEquals(firstHost, parallel.call(VERSION, "version").result().get("host").asText());
        List<String> containers = backend.containersOf(execution);
        assertEquals(1, containers.size(), containers.toString());
        assertTrue(containers.getFirst().startsWith(firstHost), containers + " vs hostname " + firstHost);

        // another execution has its own container
        String other = newExecution();
        WorkerClient otherWorker = worker("3.11", Limits.DEFAULT, other);
        assertNotEquals(firstHost, otherWorker.call(VERSION, "version").result().get("host").asText());

        backend.executionFinished(execution);
        await("the execution's container is removed", Duration.ofSeconds(15), () -> removed(containers.getFirst()));
        assertFalse(first.worker().isAlive());
        assertFalse(parallel.worker().isAlive());
        assertTrue(otherWorker.worker().isAlive(), "the other execution's worker lives on");
        backend.executionFinished(other);
    }

    @Test
    void warmContainersAreReadyForTheNextExecution() throws Exception {
        String first = newExecution();
        worker("3.13", Limits.DEFAULT, first).call(ADD, "add", Map.of("a", 1, "b", 1), Duration.ofSeconds(30));
        await("a warm 3.13 container", Duration.ofSeconds(20),
                () -> backend.containers().getOrDefault("warm qflow/python:3.13", 0) >= 1);
        String second = newExecution();
        WorkerProcess taken = backend.start(spec("3.13", Limits.DEFAULT, second));
        WorkerClient client = new WorkerClient(taken);
        assertEquals(2, client.call(ADD, "add", Map.of("a", 1, "b", 1), Duration.ofSeconds(30)).result().asInt());
        // taking one starts the next in the background
        await("the pool is topped up again", Duration.ofSeconds(20),
                () -> backend.containers().getOrDefault("warm qflow/python:3.13", 0) >= 1);
        backend.executionFinished(first);
        backend.executionFinished(second);
    }

    @Test
    void workOutsideAnExecutionGetsAContainerThatGoesWithItsWorker() throws Exception {
        WorkerClient client = worker("3.11", Limits.DEFAULT, null);
        String host = client.call(VERSION, "version").result().get("host").asText();
        client.worker().kill();
        String id = docker.listContainersCmd().withShowAll(true).exec().stream()
                .filter(c -> c.getId().startsWith(host)).map(c -> c.getId()).findFirst().orElse(null);
        if (id != null) {
            await("the one-off container is removed", Duration.ofSeconds(15), () -> removed(id));
        }
        assertNull(docker.listContainersCmd().withShowAll(true).exec().stream()
                .filter(c -> c.getId().startsWith(host)).findFirst().orElse(null));
    }

    @Test
    void anUnknownVersionIsRefused() {
        EnvironmentSpec env = TestEngine.bare("2.7");
        io.qflow.python.spi.PythonBackendException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.qflow.python.spi.PythonBackendException.class, () -> backend.prepare(env, line -> { }));
        assertEquals("python.version_unavailable", e.code());
    }
}

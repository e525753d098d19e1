package io.qflow.python.internal;

import static io.qflow.python.internal.PythonFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.python.spi.BackendStatus;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.NodeOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process backend's limits, enforced for real: an infinite loop is killed at the timeout, a
 * memory bomb is stopped, a fork bomb is contained and killed, a socket connection fails; meanwhile
 * another execution goes on and the JVM is fine. Fails, not skips, where this host cannot enforce one.
 */
class IsolationTest {

    @TempDir
    static Path data;
    static PythonFixture python;

    @BeforeAll
    static void start() {
        python = new PythonFixture(data, Map.of());
    }

    @AfterAll
    static void stop() {
        python.close();
    }

    static NodeHarness node(String code, String function, String limits) throws Exception {
        return NodeHarness.of(python.type(PythonFunctionNode.TYPE)).config("{\"code\": " + PythonFixture.JSON.writeValueAsString(code)
                + ", \"function\": \"" + function + "\", \"limits\": " + limits + "}").executionId("exec-" + System.nanoTime());
    }

    /** A normal call running next to the bomb, to show it is not hurt. */
    static CompletableFuture<NodeOutcome> bystander() throws Exception {
        NodeHarness h = node("import time\ndef slow(n: int) -> int:\n    time.sleep(1.5)\n    return n * 2\n", "slow", "{}").input("n", "21");
        return CompletableFuture.supplyAsync(h::run);
    }

    /**
     * A second process backend in the same JVM (the bundle updated while the old one's workers still
     * run) makes its own cgroups: sharing one, either backend's cleanup killed the other's workers.
     */
    @Test
    void twoBackendsInOneJvmNeverShareAWorkerCgroup() {
        HostIsolation.Sandbox first = HostIsolation.probe().sandbox(io.qflow.python.spi.Limits.DEFAULT);
        HostIsolation.Sandbox second = HostIsolation.probe().sandbox(io.qflow.python.spi.Limits.DEFAULT);
        try {
            assertFalse(first.groups().isEmpty(), "this host gives workers a cgroup (see everyLimitIsEnforcedOnThisHost)");
            assertTrue(first.groups().stream().noneMatch(second.groups()::contains), first.groups() + " vs " + second.groups());
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void everyLimitIsEnforcedOnThisHost() {
        JsonNode backends = python.adapter.interpreters().get("backends");
        JsonNode process = backends.get(0);
        assertEquals("process", process.get("name").asText());
        process.get("limits").fields().forEachRemaining(l -> assertFalse(l.getValue().asText().startsWith(BackendStatus.NOT_ENFORCED),
                "limit " + l.getKey() + " on this host: " + l.getValue().asText()));
    }

    @Test
    void anInfiniteLoopIsKilledAtTheTimeout() throws Exception {
        CompletableFuture<NodeOutcome> other = bystander();
        long start = System.nanoTime();
        NodeException e = node("def spin():\n    while True:\n        pass\n", "spin", "{\"timeoutSeconds\": 1}").runExpectingFailure("python.timeout");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 1000 && ms < 10_000, "killed after " + ms + " ms");
        assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
        assertTrue(e.retryable());
        other.get().assertSuccess().assertEmits("result", "42");
    }

    @Test
    void aMemoryBombIsStopped() throws Exception {
        CompletableFuture<NodeOutcome> other = bystander();
        NodeOutcome outcome = node("def bomb():\n    data = []\n    while True:\n        data.append(bytearray(50 * 1024 * 1024))\n",
                "bomb", "{\"memoryMb\": 256}").run();
        NodeException e = (NodeException) outcome.failure();
        assertTrue(e.code().equals("python.exception") && e.getMessage().startsWith("MemoryError")
                || e.code().equals("python.worker_crashed"), e.code() + ": " + e.getMessage());
        other.get().assertSuccess().assertEmits("result", "42");
        node("def ok() -> int:\n    return 1\n", "ok", "{\"memoryMb\": 256}").runExpectingSuccess().assertEmits("result", "1");
    }

    @Test
    void aForkBombIsContainedAndKilled() throws Exception {
        CompletableFuture<NodeOutcome> other = bystander();
        String bomb = """
                import os
                def bomb():
                    count = 0
                    while True:
                        try:
                            if os.fork() == 0:
                                while True:
                                    try:
                                        os.fork()
                                    except OSError:
                                        pass
                            count += 1
                        except OSError:
                            pass
                """;
        node(bomb, "bomb", "{\"timeoutSeconds\": 2, \"maxProcesses\": 32}").runExpectingFailure("python.timeout");
        other.get().assertSuccess().assertEmits("result", "42");
        // Nothing of the bomb is left: every process of the worker's PID namespace died with it.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long left;
        do {
            left = ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("python")).count();
        } while (left > 2 && System.nanoTime() < deadline && pause());
        // the bystander's and this class's warm workers may remain: at most a few, not a bomb
        assertTrue(left <= 4, left + " python processes left");
    }

    /** Between two looks at the process table while awaiting the condition (bounded by the deadline above). */
    private static boolean pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    @Test
    void aSocketConnectionFails() throws Exception {
        String code = """
                import socket
                def connect() -> str:
                    try:
                        socket.create_connection(("127.0.0.1", 9), timeout=2)
                        return "connected"
                    except OSError as e:
                        return type(e).__name__ + ": " + str(e)
                def interfaces() -> list:
                    return [name for _, name in socket.if_nameindex()]
                """;
        JsonNode result = node(code, "connect", "{}").runExpectingSuccess().output("result");
        assertTrue(result.asText().contains("Network is unreachable") || result.asText().startsWith("OSError"), result.toString());
        JsonNode interfaces = node(code, "interfaces", "{}").runExpectingSuccess().output("result");
        assertEquals("[\"lo\"]", interfaces.toString());
        JsonNode allowed = node(code, "interfaces", "{\"network\": true}").runExpectingSuccess().output("result");
        assertTrue(allowed.size() >= 1);
    }
}

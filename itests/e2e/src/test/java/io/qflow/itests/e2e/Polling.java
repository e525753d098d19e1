package io.qflow.itests.e2e;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/** Waiting for a runtime by polling it: no fixed sleeps, a deadline that names what was awaited. */
final class Polling {

    private Polling() {
    }

    interface Probe<T> {
        /** The value once there; empty to poll again. */
        Optional<T> poll() throws Exception;
    }

    static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.poll();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    /** Starts the runtime and waits until {@code GET /api/v1/health} says UP; returns a client for it. */
    static Api startAndAwaitUp(QflowProcess qflow, Duration timeout) throws Exception {
        qflow.start();
        Api api = new Api(qflow.port());
        await("GET /api/v1/health = UP", timeout, () -> {
            if (!qflow.isAlive()) {
                throw new AssertionError("bin/qflow exited before it was UP; last lines of its log:\n" + qflow.logTail(80));
            }
            try {
                return "UP".equals(api.get("/api/v1/health").json().path("status").asText()) ? Optional.of(true) : Optional.empty();
            } catch (ConnectException | HttpTimeoutException notYet) {
                return Optional.empty();
            }
        });
        return api;
    }
}

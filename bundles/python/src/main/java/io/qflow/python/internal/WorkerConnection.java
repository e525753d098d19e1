package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.python.spi.WorkerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One worker seen through the protocol: the hello it sent, request/reply calls with a deadline,
 * and the tail of its stderr for when it dies. One call at a time (the pool guarantees it).
 */
final class WorkerConnection {

    /** Why a call ended without a reply. */
    enum Stop { TIMEOUT, CANCELLED }

    private final WorkerProcess process;
    private final ObjectMapper json;
    private final ScheduledExecutorService timer;
    private final StderrTail stderr;
    private final JsonNode hello;
    private final long startedNanos = System.nanoTime();
    private volatile long lastUsedNanos = System.nanoTime();
    private long nextId = 1;
    private int calls;
    /** Code hashes whose module the worker has loaded: their code need not be sent again. */
    private final java.util.Set<String> modules = new java.util.HashSet<>();

    private WorkerConnection(WorkerProcess process, ObjectMapper json, ScheduledExecutorService timer, StderrTail stderr,
                             JsonNode hello) {
        this.process = process;
        this.json = json;
        this.timer = timer;
        this.stderr = stderr;
        this.hello = hello;
    }

    /** Waits for the worker's hello frame (at most {@code startTimeout}); kills the worker when none comes. */
    static WorkerConnection open(WorkerProcess process, ObjectMapper json, ScheduledExecutorService timer, Duration startTimeout)
            throws WorkerFailure {
        StderrTail stderr = StderrTail.drain(process.stderr(), process.describe());
        AtomicReference<Stop> stop = new AtomicReference<>();
        ScheduledFuture<?> killer = timer.schedule(() -> {
            stop.set(Stop.TIMEOUT);
            process.kill();
        }, startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            JsonNode hello = Frames.read(process.stdout(), json);
            if (!"hello".equals(hello.path("type").asText())) {
                process.kill();
                throw new WorkerFailure("python.protocol", "the worker's first frame is not a hello: " + abbreviate(hello.toString()), null);
            }
            return new WorkerConnection(process, json, timer, stderr, hello);
        } catch (IOException e) {
            process.kill();
            String why = stop.get() == Stop.TIMEOUT ? "did not start within " + startTimeout.toSeconds() + " s" : "failed to start";
            throw new WorkerFailure("python.worker_start", "the Python worker (" + process.describe() + ") " + why + ": "
                    + e.getMessage() + stderr.describe(), null);
        } finally {
            killer.cancel(false);
        }
    }

    JsonNode hello() {
        return hello;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int calls() {
        return calls;
    }

    boolean hasModule(String hash) {
        return modules.contains(hash);
    }

    void loadedModule(String hash) {
        modules.add(hash);
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    long ageNanos() {
        return System.nanoTime() - startedNanos;
    }

    String describe() {
        return process.describe();
    }

    void kill() {
        process.kill();
    }

    /**
     * Sends one request and waits for its reply. The worker is killed when {@code timeout} passes or
     * {@code cancelled} turns true (checked every 20 ms): the blocked read then ends and the call fails.
     *
     * @throws WorkerFailure when the worker died, broke the protocol, timed out or was cancelled;
     *                       the worker is dead afterwards and must be dropped
     */
    JsonNode call(ObjectNode request, Duration timeout, BooleanSupplier cancelled) throws WorkerFailure {
        calls++;
        long id = nextId++;
        request.put("id", id);
        AtomicReference<Stop> stop = new AtomicReference<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread caller = Thread.currentThread();
        ScheduledFuture<?> watchdog = timer.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - deadline >= 0) {
                stop.compareAndSet(null, Stop.TIMEOUT);
            } else if (cancelled.getAsBoolean() || caller.isInterrupted()) {
                stop.compareAndSet(null, Stop.CANCELLED);
            }
            if (stop.get() != null) {
                process.kill();
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
        try {
            Frames.write(process.stdin(), json, request);
            JsonNode reply = Frames.read(process.stdout(), json);
            if (reply.path("id").asLong(-1) != id) {
                process.kill();
                throw new WorkerFailure("python.protocol", "the worker answered request " + reply.path("id") + " instead of " + id, null);
            }
            return reply;
        } catch (Frames.ProtocolException e) {
            process.kill();
            throw new WorkerFailure("python.protocol", e.getMessage(), null);
        } catch (IOException e) {
            process.kill();
            Stop why = stop.get();
            if (why == Stop.TIMEOUT) {
                throw new WorkerFailure("python.timeout", "the call did not finish within " + seconds(timeout)
                        + ": the worker was killed", why);
            }
            if (why == Stop.CANCELLED) {
                throw new WorkerFailure("python.cancelled", "the call was cancelled: the worker was killed", why);
            }
            stderr.awaitEnd(Duration.ofMillis(500));
            throw new WorkerFailure("python.worker_crashed", "the Python worker (" + process.describe() + ") died during the call"
                    + exitDescription() + stderr.describe(), null);
        } finally {
            watchdog.cancel(false);
            lastUsedNanos = System.nanoTime();
        }
    }

    private String exitDescription() {
        String status = process instanceof ProcessBackend.HostWorker host ? host.exitDescription() : null;
        return status == null ? "" : " (" + status + ")";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** A call or start that failed because of the worker, not the user's code. */
    static final class WorkerFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final transient Stop stop;

        WorkerFailure(String code, String message, Stop stop) {
            super(message);
            this.code = code;
            this.stop = stop;
        }

        String code() {
            return code;
        }

        Stop stop() {
            return stop;
        }
    }

    /** Keeps the last few KB of a worker's stderr, read on a virtual thread, for crash reports and logs. */
    static final class StderrTail {
        private static final int KEEP = 4096;
        private final StringBuilder tail = new StringBuilder();
        private final Thread reader;

        private StderrTail(InputStream in, String name) {
            this.reader = Thread.ofVirtual().name("python-stderr " + name).start(() -> {
                byte[] buffer = new byte[2048];
                try (in) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the worker is gone; what was read is kept
                }
            });
        }

        static StderrTail drain(InputStream in, String name) {
            return new StderrTail(in, name);
        }

        private synchronized void append(String s) {
            tail.append(s);
            if (tail.length() > KEEP) {
                tail.delete(0, tail.length() - KEEP);
            }
        }

        void awaitEnd(Duration max) {
            try {
                reader.join(max);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized String describe() {
            String s = tail.toString().strip();
            return s.isEmpty() ? "" : "; its stderr ends with:\n" + s;
        }
    }
}

package io.qflow.python.internal;

import io.qflow.python.spi.Limits;
import io.qflow.python.spi.PythonBackend;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Warm workers by pool key (backend, environment, limits, and the execution for backends whose
 * workers belong to one execution). A worker serves one call at a time; after a clean call it goes
 * back to the pool, after a failure of the worker itself (timeout, crash, protocol) it is killed and
 * the next call starts a fresh one. Idle workers are stopped after the idle timeout; an execution-bound
 * pool that empties tells its backend the execution is finished.
 */
final class WorkerPool implements AutoCloseable {

    /** Which workers may serve a call. {@code executionId} is null for shared pools. */
    record Key(PythonBackend backend, String environment, Limits limits, String executionId) {
        String label() {
            return backend.name() + "/" + environment + (executionId == null ? "" : "/" + executionId);
        }
    }

    /** Starts a worker for a key. */
    interface Starter {
        WorkerConnection start(Key key) throws WorkerConnection.WorkerFailure;
    }

    private final int maxIdle;
    private final Duration idleTimeout;
    private final Duration executionIdleTimeout;
    private final Map<Key, Deque<WorkerConnection>> idle = new ConcurrentHashMap<>();
    private final Map<Key, AtomicInteger> live = new ConcurrentHashMap<>();

    WorkerPool(int maxIdle, Duration idleTimeout, ScheduledExecutorService timer) {
        this.maxIdle = maxIdle;
        this.idleTimeout = idleTimeout;
        // Execution-bound workers (a container per execution) are let go sooner: the execution is
        // probably over when none of its nodes called for this long.
        this.executionIdleTimeout = idleTimeout.compareTo(Duration.ofSeconds(30)) < 0 ? idleTimeout : Duration.ofSeconds(30);
        timer.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** An idle live worker of the key, or a new one. */
    WorkerConnection acquire(Key key, Starter starter) throws WorkerConnection.WorkerFailure {
        Deque<WorkerConnection> deque = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (true) {
            WorkerConnection c;
            synchronized (deque) {
                c = deque.pollFirst();
            }
            if (c == null) {
                break;
            }
            if (c.isAlive()) {
                return c;
            }
            dropped(key, c);
        }
        counter(key).incrementAndGet();
        try {
            return starter.start(key);
        } catch (WorkerConnection.WorkerFailure | RuntimeException e) {
            decrement(key);
            throw e;
        }
    }

    /** Returns a worker after a call that left it healthy. */
    void release(Key key, WorkerConnection c) {
        Deque<WorkerConnection> deque = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        boolean keep;
        synchronized (deque) {
            keep = c.isAlive() && deque.size() < maxIdle;
            if (keep) {
                deque.addFirst(c); // most recently used first: it has the caller's modules loaded
            }
        }
        if (!keep) {
            dropped(key, c);
        }
    }

    /** Kills a worker that failed (timeout, crash, protocol error). */
    void discard(Key key, WorkerConnection c) {
        dropped(key, c);
    }

    private void dropped(Key key, WorkerConnection c) {
        c.kill();
        decrement(key);
    }

    private AtomicInteger counter(Key key) {
        return live.computeIfAbsent(key, k -> new AtomicInteger());
    }

    private void decrement(Key key) {
        AtomicInteger n = counter(key);
        if (n.decrementAndGet() <= 0 && key.executionId() != null) {
            live.remove(key, n);
            idle.remove(key);
            key.backend().executionFinished(key.executionId());
        }
    }

    /**
     * The execution is over: its execution-bound workers go now (rather than after the idle
     * timeout), and their backend hears of it once none of them is left.
     */
    void executionFinished(String executionId) {
        for (Key key : idle.keySet().stream().filter(k -> executionId.equals(k.executionId())).toList()) {
            Deque<WorkerConnection> deque = idle.get(key);
            java.util.List<WorkerConnection> gone = new java.util.ArrayList<>();
            if (deque != null) {
                synchronized (deque) {
                    gone.addAll(deque);
                    deque.clear();
                }
            }
            gone.forEach(c -> dropped(key, c));
        }
    }

    /** Stops workers idle for longer than the timeout. */
    void sweep() {
        for (Map.Entry<Key, Deque<WorkerConnection>> e : idle.entrySet()) {
            Duration limit = e.getKey().executionId() == null ? idleTimeout : executionIdleTimeout;
            Deque<WorkerConnection> deque = e.getValue();
            java.util.List<WorkerConnection> expired = new java.util.ArrayList<>();
            synchronized (deque) {
                deque.removeIf(c -> {
                    boolean old = !c.isAlive() || c.idleNanos() > limit.toNanos();
                    if (old) {
                        expired.add(c);
                    }
                    return old;
                });
            }
            expired.forEach(c -> dropped(e.getKey(), c));
        }
    }

    /** Live workers by pool label, for metrics. */
    Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        live.forEach((k, n) -> {
            if (n.get() > 0) {
                sizes.merge(k.label(), n.get(), Integer::sum);
            }
        });
        return sizes;
    }

    /** Kills every idle worker of a backend (it is going away). */
    void closeBackend(PythonBackend backend) {
        idle.keySet().stream().filter(k -> k.backend() == backend).toList().forEach(k -> {
            Deque<WorkerConnection> deque = idle.remove(k);
            if (deque != null) {
                synchronized (deque) {
                    deque.forEach(WorkerConnection::kill);
                }
            }
            live.remove(k);
        });
    }

    @Override
    public void close() {
        idle.values().forEach(deque -> {
            synchronized (deque) {
                deque.forEach(WorkerConnection::kill);
            }
        });
        idle.clear();
        live.clear();
    }
}

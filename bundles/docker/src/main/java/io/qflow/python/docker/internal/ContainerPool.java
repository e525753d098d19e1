package io.qflow.python.docker.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm containers per {@link ContainerKey}, each with a worker already running in it, so that an
 * execution's first Python node only takes one over (no container start, no interpreter start).
 * A key is pooled once it has been used; after each take the pool is topped up in the background.
 */
final class ContainerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerPool.class);
    /* An interpreter starting under half a CPU takes about 0.1 s; a container that needs this long is broken. */
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

    /** A started container with its first worker (hello frame waiting). */
    record Warm(WorkerContainer container, DockerWorkerProcess worker) {
        boolean usable() {
            return container.isAlive() && worker.isAlive();
        }
    }

    private final ContainerFactory factory;
    private final int size;
    private final Map<ContainerKey, Deque<Warm>> warm = new ConcurrentHashMap<>();
    private final Map<ContainerKey, AtomicInteger> starting = new ConcurrentHashMap<>();
    private final Set<Thread> refills = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ContainerPool(ContainerFactory factory, int size) {
        this.factory = factory;
        this.size = size;
    }

    /** A warm container for the key, or {@code null} when none is ready; schedules a refill either way. */
    Warm take(ContainerKey key) {
        Deque<Warm> queue = warm.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Warm taken;
        while ((taken = queue.pollFirst()) != null && !taken.usable()) {
            taken.container().removeWhenIdle();
        }
        refill(key);
        return taken;
    }

    /** Starts containers in the background until {@code size} are warm or starting for the key. */
    void refill(ContainerKey key) {
        if (closed || size == 0) {
            return;
        }
        Deque<Warm> queue = warm.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        AtomicInteger inFlight = starting.computeIfAbsent(key, k -> new AtomicInteger());
        while (true) {
            int now = inFlight.get();
            if (queue.size() + now >= size) {
                return;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                break;
            }
        }
        Thread refill = Thread.ofVirtual().name("qflow-docker-pool").unstarted(() -> {
            try {
                WorkerContainer container = factory.start(key);
                Warm entry;
                try {
                    entry = new Warm(container, container.execWorker());
                    entry.worker().awaitHello(HELLO_TIMEOUT);
                } catch (RuntimeException e) {
                    container.remove();
                    throw e;
                }
                if (closed) {
                    container.remove();
                } else {
                    queue.addLast(entry);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not start a warm Python container for {}: {}", key.image(), e.toString());
            } finally {
                inFlight.decrementAndGet();
                refills.remove(Thread.currentThread());
            }
        });
        refills.add(refill);
        refill.start();
    }

    /** Warm containers per image, for status and metrics. */
    Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        warm.forEach((key, queue) -> sizes.merge(key.image(), queue.size(), Integer::sum));
        return sizes;
    }

    @Override
    public void close() {
        closed = true;
        // a container still starting would be left behind if the JVM ended right after: wait for it
        // (it removes itself once it sees the pool closed)
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread refill : List.copyOf(refills)) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !refill.join(Duration.ofNanos(left))) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Warm> all = new ArrayList<>();
        warm.values().forEach(queue -> {
            Warm w;
            while ((w = queue.pollFirst()) != null) {
                all.add(w);
            }
        });
        all.forEach(w -> w.container().remove());
    }
}

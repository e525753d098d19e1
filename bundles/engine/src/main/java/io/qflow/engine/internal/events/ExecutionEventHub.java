package io.qflow.engine.internal.events;

import io.qflow.engine.EventSubscription;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionMonitor;
import io.qflow.engine.ExecutionStatistics;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.spi.ExecutionRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The {@link ExecutionMonitor}: one {@link EventChannel} per execution in progress, the streams of
 * all executions, and the counters for metrics. Runs publish into their channel (never waiting for
 * a subscriber); this hub only takes part when a run starts or ends and when someone subscribes.
 */
public final class ExecutionEventHub implements ExecutionMonitor {

    /** How many finished executions are kept for subscribers that come just after the end. */
    private static final int RECENT = 64;
    /** ... and for how long: the store has them too once their writes are done. */
    private static final Duration RECENT_FOR = Duration.ofSeconds(30);

    private record Recent(EventChannel channel, Instant until) {
    }

    private final ExecutionRepository store;
    private final IntSupplier queued;
    /** Guards the set of channels, the streams of all executions and {@link #recent}; taken before a channel's monitor. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, EventChannel> channels = new ConcurrentHashMap<>();
    private final List<Subscriber> all = new ArrayList<>();
    private final LinkedHashMap<String, Recent> recent = new LinkedHashMap<>();
    private final LongAdder started = new LongAdder();
    private final Map<ExecutionStatus, LongAdder> finished = new EnumMap<>(ExecutionStatus.class);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<String, NodeDurations> durations = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean shutdown;

    /**
     * @param store  where executions not in progress here are read from
     * @param queued how many executions are accepted but not running (parked for their node types)
     */
    public ExecutionEventHub(ExecutionRepository store, IntSupplier queued) {
        this.store = store;
        this.queued = queued;
        for (ExecutionStatus status : ExecutionStatus.values()) {
            if (status.isFinal()) {
                finished.put(status, new LongAdder());
            }
        }
    }

    /** An execution was accepted (started, retried, run as a sub-workflow or error workflow). */
    public void accepted() {
        started.increment();
    }

    /**
     * A run of {@code base} starts or resumes in this runtime; its events go to the channel returned.
     *
     * @param nodes the run's node runs as they are now (called under the channel's monitor, when someone subscribes)
     */
    public EventChannel open(Execution base, Supplier<List<NodeRun>> nodes) {
        lock.lock();
        try {
            EventChannel channel = channels.computeIfAbsent(base.id(), id -> new EventChannel(id, base.workflowId(), base));
            channel.attach(base, nodes);
            for (Subscriber subscriber : all) {
                if (subscriber.follows(base.workflowId())) {
                    channel.subscribe(subscriber);
                }
            }
            gauge(base.status(), 1);
            return channel;
        } finally {
            lock.unlock();
        }
    }

    /** The execution's status changed; a final one closes its channel. */
    public void statusChanged(EventChannel channel, Execution changed) {
        ExecutionStatus before = channel.status();
        boolean done = channel.publishStatus(changed);
        // only runs in progress here count as running or waiting (see open)
        if (before != changed.status() && channel.attached()) {
            gauge(before, -1);
            gauge(changed.status(), 1);
        }
        if (done) {
            finished.get(changed.status()).increment();
            lock.lock();
            try {
                channels.remove(channel.executionId, channel);
                // The closed channel keeps the finished run's view, built only if someone asks for it.
                recent.put(channel.executionId, new Recent(channel, Instant.now().plus(RECENT_FOR)));
                while (recent.size() > RECENT) {
                    recent.remove(recent.keySet().iterator().next());
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * An execution that does not run here ended (cancelled while parked, unresumable): subscribers
     * waiting for it get its final status.
     */
    public void endedElsewhere(Execution ended) {
        EventChannel channel = channels.get(ended.id());
        if (channel != null && !channel.attached()) {
            statusChanged(channel, ended);
        }
    }

    /** A node run of {@code nodeType} ended after running from {@code startedAt} to {@code finishedAt}. */
    public void nodeRan(String nodeType, Instant startedAt, Instant finishedAt) {
        long nanos = Duration.between(startedAt, finishedAt).toNanos();
        durations.computeIfAbsent(nodeType, t -> new NodeDurations()).record(Math.max(0, nanos));
    }

    private void gauge(ExecutionStatus status, int delta) {
        if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.QUEUED) {
            running.addAndGet(delta);
        } else if (status == ExecutionStatus.WAITING) {
            waiting.addAndGet(delta);
        }
    }

    void countDropped() {
        dropped.increment();
    }

    @Override
    public EventSubscription subscribe(String executionId, int capacity) throws NotFoundException {
        Subscriber subscriber = new Subscriber(this, executionId, null, capacity);
        if (attach(subscriber)) {
            return subscriber;
        }
        // Not in progress here: the store says whether it exists, has finished, or runs elsewhere / later.
        Optional<Execution> stored = store.find(executionId);
        if (stored.isEmpty()) {
            throw new NotFoundException("no execution with id '" + executionId + "'");
        }
        lock.lock();
        try {
            if (attach(subscriber)) {
                return subscriber;
            }
            Execution execution = stored.get();
            if (execution.status().isFinal() || shutdown) {
                return finishedStream(subscriber, execution);
            }
            // It may start or resume here later (or never, when another runtime runs it): wait for it.
            EventChannel pending = channels.computeIfAbsent(executionId, id -> new EventChannel(id, execution.workflowId(), execution));
            pending.subscribe(subscriber);
            registered(subscriber);
            return subscriber;
        } finally {
            lock.unlock();
        }
    }

    /** Subscribes to the execution's channel or its recent end; false when neither is here. */
    private boolean attach(Subscriber subscriber) {
        lock.lock();
        try {
            EventChannel channel = channels.get(subscriber.executionId);
            if (channel != null && channel.subscribe(subscriber)) {
                registered(subscriber);
                return true;
            }
            Recent done = recent.get(subscriber.executionId);
            if (done != null && done.until().isAfter(Instant.now())) {
                finishedStream(subscriber, done.channel().current());
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static Subscriber finishedStream(Subscriber subscriber, Execution execution) {
        subscriber.offer(EventChannel.snapshot(0, execution), true);
        subscriber.end();
        return subscriber;
    }

    @Override
    public EventSubscription subscribeAll(String workflowId, int capacity) {
        return subscribeAll(new Subscriber(this, null, workflowId, capacity));
    }

    @Override
    public EventSubscription subscribeAll(String workflowId, int capacity, java.util.Set<io.qflow.engine.ExecutionEvent.Type> types) {
        return subscribeAll(new Subscriber(this, null, workflowId, capacity, Subscriber.mask(types)));
    }

    private EventSubscription subscribeAll(Subscriber subscriber) {
        lock.lock();
        try {
            if (shutdown) {
                subscriber.end();
                return subscriber;
            }
            all.add(subscriber);
            registered(subscriber);
            for (EventChannel channel : channels.values()) {
                if (channel.attached() && subscriber.follows(channel.workflowId)) {
                    channel.subscribe(subscriber);
                }
            }
            return subscriber;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the subscriber counts as open until it is closed. */
    private void registered(Subscriber subscriber) {
        subscriber.registered = true;
        subscriptions.incrementAndGet();
    }

    void unsubscribe(Subscriber subscriber) {
        lock.lock();
        try {
            if (!subscriber.registered) {
                return;
            }
            subscriber.registered = false;
            subscriptions.decrementAndGet();
            if (subscriber.executionId == null) {
                all.remove(subscriber);
                channels.values().forEach(channel -> channel.unsubscribe(subscriber));
                return;
            }
            EventChannel channel = channels.get(subscriber.executionId);
            if (channel != null && channel.unsubscribe(subscriber) && !channel.attached()) {
                channels.remove(channel.executionId, channel); // nobody waits for it any more
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ExecutionStatistics statistics() {
        Map<ExecutionStatus, Long> ended = new EnumMap<>(ExecutionStatus.class);
        finished.forEach((status, count) -> ended.put(status, count.sum()));
        Map<String, ExecutionStatistics.DurationHistogram> histograms = new HashMap<>();
        durations.forEach((type, d) -> histograms.put(type, d.histogram()));
        return new ExecutionStatistics(started.sum(), ended, Math.max(0, running.get()), Math.max(0, waiting.get()),
                queued.getAsInt(), histograms, Math.max(0, subscriptions.get()), dropped.sum());
    }

    /** The engine stops: every stream ends (a one-execution stream without a final status). */
    public void close() {
        lock.lock();
        try {
            shutdown = true;
            channels.values().forEach(EventChannel::shutdown);
            channels.clear();
            all.forEach(Subscriber::end);
            all.clear();
        } finally {
            lock.unlock();
        }
    }
}

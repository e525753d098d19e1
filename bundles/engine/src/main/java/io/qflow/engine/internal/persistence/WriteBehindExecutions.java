package io.qflow.engine.internal.persistence;

import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRun;
import io.qflow.engine.spi.ExecutionRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's view of the execution store, with write-behind for executions of workflows whose
 * persistence is {@code batched}.
 *
 * <p>Executions the engine {@link #accept}s or {@link #adopt}s here are <em>tracked</em>: their
 * writes change an in-memory record and return at once, and one flusher thread writes what changed,
 * many executions per {@link ExecutionRepository#saveChanges} call. A tracked execution is written
 * when someone must be able to rely on it — {@link #flush} (an asynchronous start's 202), or an
 * update to a final or {@code waiting} status, which returns only once written — or when it has had
 * unwritten changes for {@code flushDelay}. A short run thus costs one write of its final state
 * instead of one per state change. Reads of a tracked execution come from memory, so they are
 * current. Untracked executions (persistence {@code steps}) pass straight through, every write
 * committed before it returns.
 *
 * <p>A failed write is retried: first each execution of the batch alone, so one bad record does
 * not hold up the others, then after a pause. Callers waiting for a write that failed alone get
 * the error; the changes stay and are written by a later flush.
 *
 * <p>With an {@link OutcomeJournal} ({@link #journal}), a final status is made durable by appending
 * the whole execution to the journal instead of waiting for a store transaction; the execution
 * stays tracked and is written with the next flush, and its journal record is released once it is
 * stored. {@code waiting} still waits for the store: a waiting run is resumed from the store.
 */
public final class WriteBehindExecutions implements ExecutionRepository, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WriteBehindExecutions.class.getName());
    private static final int MAX_BATCH = 512;
    /**
     * Under load a commit's cost is mostly fixed (H2 rewrites the pages each commit touches): on
     * this project's 2-core machine a batch of 1 execution cost ~440 µs of CPU per execution, 8 cost
     * ~100 µs, 32 cost ~47 µs. So while the writer is busy, a small urgent batch waits up to
     * {@link #LINGER_NANOS} for company, until {@link #FULL_BATCH} executions are due.
     */
    private static final int FULL_BATCH = 32;
    private static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(1500);
    /**
     * Changes nobody waits for are written in groups: once one is due (its flush delay passed), the
     * flusher also takes those due within this much more (a quarter of the flush delay at most).
     * Taking only what was due each time it looked, the flusher wrote a few executions per
     * transaction once outcomes no longer waited for it (the outcome journal), and H2's per-commit
     * cost came back: ~16 µs per execution at 7,000 a second.
     */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The writer counts as busy when its last write ended less than this long ago. */
    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long RETRY_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ExecutionRepository store;
    private volatile long flushDelayNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Tracked executions by id, guarded by {@link #lock}. */
    private final Map<String, Tracked> tracked = new HashMap<>();
    /**
     * The dirty tracked executions in the order they became dirty, which is the order they fall due
     * in (guarded by the lock): the flusher looks at those due or almost due and stops at the first
     * that is not, instead of going over every tracked execution each time it wakes (~1,000 under
     * load, for a batch of ~150).
     */
    private final LinkedHashSet<Tracked> dirtyOrder = new LinkedHashSet<>();
    /** The dirty tracked executions someone waits for: due now (guarded by the lock). */
    private final LinkedHashSet<Tracked> awaited = new LinkedHashSet<>();
    private final Thread flusher;
    /** Where final statuses are made durable before they are stored; null: wait for the store. */
    private volatile OutcomeJournal journal;
    private boolean closed;
    private long pauseUntil;
    /** The flusher sleeps with nothing due (guarded by the lock). */
    private boolean idle;
    /** The flusher waits for company for a small urgent batch (guarded by the lock). */
    private boolean lingering;
    /** Executions that became urgent while the flusher lingers (guarded by the lock). */
    private int urgentWhileLingering;
    /** When the last write ended (System.nanoTime, flusher thread only). */
    private long lastWriteEnd;

    public WriteBehindExecutions(ExecutionRepository store, long flushDelayMillis) {
        this.store = Objects.requireNonNull(store, "store");
        if (flushDelayMillis < 0) {
            throw new IllegalArgumentException("flushDelayMillis must not be negative, was " + flushDelayMillis);
        }
        this.flushDelayNanos = TimeUnit.MILLISECONDS.toNanos(flushDelayMillis);
        this.flusher = Thread.ofPlatform().name("qflow-write-behind").daemon(true).start(this::run);
    }

    /** Changes how long changes may wait unwritten (see the class comment). */
    public void flushDelay(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("flush delay must not be negative, was " + millis);
        }
        lock.lock();
        try {
            flushDelayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on, final statuses are made durable in {@code journal} (see the class comment); the
     * journal is closed with this view. Set before the first run.
     */
    public void journal(OutcomeJournal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /**
     * Writes the outcomes a journal holds into the store, those the store does not have as final
     * yet (it missed them in a crash); returns how many. Before any run, with no journal open on
     * {@code outcomes}' files.
     */
    public int restore(List<Execution> outcomes) {
        int restored = 0;
        for (Execution outcome : outcomes) {
            Optional<Execution> stored = store.find(outcome.id());
            if (stored.isPresent() && stored.get().status().isFinal()) {
                continue;
            }
            store.saveChanges(List.of(stored.isEmpty()
                    ? new Changes(outcome, true, true, List.of())
                    : new Changes(outcome, false, true, outcome.nodes())));
            restored++;
        }
        return restored;
    }

    /** The store behind this view. */
    public ExecutionRepository store() {
        return store;
    }

    /**
     * Tracks a new execution that is not stored yet: it is inserted with its state at the time of
     * the flush. Returns at once; {@link #flush} waits until it is written.
     */
    public void accept(Execution execution) {
        lock.lock();
        try {
            checkOpen();
            if (tracked.containsKey(execution.id())) {
                throw new IllegalStateException("execution " + execution.id() + " is already tracked");
            }
            Tracked entry = new Tracked(execution, false);
            tracked.put(execution.id(), entry);
            dirtied(entry);
        } finally {
            lock.unlock();
        }
    }

    /** Tracks an execution that is already stored (a run resumed after a restart). No-op if tracked. */
    public void adopt(Execution stored) {
        lock.lock();
        try {
            checkOpen();
            tracked.putIfAbsent(stored.id(), new Tracked(stored, true));
        } finally {
            lock.unlock();
        }
    }

    /** Whether writes of this execution are buffered here. */
    public boolean tracks(String executionId) {
        lock.lock();
        try {
            return tracked.containsKey(executionId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The execution's current state as JSON ({@link io.qflow.engine.ExecutionJsonModule}'s form) when
     * that state is the outcome its journal record holds, else null: the record's payload, so an
     * answer can be sent without writing the execution out again. Null once it is stored and no
     * longer tracked.
     */
    public byte[] journaledJson(String executionId) {
        lock.lock();
        try {
            Tracked entry = tracked.get(executionId);
            return entry != null && entry.journaled() ? entry.journaledJson : null;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every change of the execution made so far is written (no-op if it is not tracked). */
    public void flush(String executionId) {
        CompletableFuture<Void> written;
        lock.lock();
        try {
            Tracked entry = tracked.get(executionId);
            if (entry == null || closed || entry.journaled()) {
                return;
            }
            if (entry.dirty()) {
                written = entry.waiter();
                awaited.add(entry);
                urgent();
            } else if (entry.inFlight != null) {
                written = entry.inFlight; // taken by the flusher, not committed yet
            } else {
                return;
            }
        } finally {
            lock.unlock();
        }
        join(written);
    }

    // ---- ExecutionRepository

    @Override
    public void insert(Execution execution) {
        store.insert(execution);
    }

    @Override
    public void updateExecution(Execution execution) {
        CompletableFuture<Void> written;
        OutcomeJournal outcomes = journal;
        OutcomeJournal.Segment segment = null;
        Execution outcome = null;
        long version = 0;
        Tracked entry;
        lock.lock();
        try {
            entry = closed ? null : tracked.get(execution.id());
            if (entry == null) {
                written = null;
            } else {
                entry.fields = execution;
                entry.fieldsDirty = true;
                dirtied(entry);
                if (!mustBeWritten(execution.status())) {
                    return;
                }
                if (outcomes != null && execution.status().isFinal()) {
                    written = null;
                    segment = outcomes.reserve();
                    if (entry.journalSegment != null) {
                        outcomes.release(entry.journalSegment); // an earlier record of it is superseded
                    }
                    entry.journalSegment = segment;
                    outcome = entry.view();
                    version = entry.changes;
                } else {
                    written = entry.waiter();
                    awaited.add(entry);
                    urgent();
                }
            }
        } finally {
            lock.unlock();
        }
        if (outcome != null) {
            if (journaled(entry, version, segment, outcome, outcomes)) {
                return;
            }
            flush(execution.id()); // the journal failed: wait for the store, as without one
        } else if (written == null) {
            store.updateExecution(execution);
        } else {
            join(written);
        }
    }

    /** Appends the outcome to the journal; false (logged) if that failed. */
    private boolean journaled(Tracked entry, long version, OutcomeJournal.Segment segment, Execution outcome,
                              OutcomeJournal outcomes) {
        OutcomeCodec.Encoded json;
        try {
            json = outcomes.append(segment, outcome);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the outcome of execution " + outcome.id()
                    + " could not be journaled; waiting for the store instead: " + e, e);
            return false;
        }
        lock.lock();
        try {
            entry.journaledChanges = version; // a change since then makes flush wait for the store again
            entry.journaledJson = json.json();
            entry.journaledSpans = json.spans();
        } finally {
            lock.unlock();
        }
        return true;
    }

    @Override
    public void saveNodeRun(String executionId, NodeRun nodeRun) {
        lock.lock();
        try {
            Tracked entry = closed ? null : tracked.get(executionId);
            if (entry != null) {
                entry.nodes.put(nodeRun.nodeId(), nodeRun);
                entry.dirtyNodes.add(nodeRun.nodeId());
                dirtied(entry);
                return;
            }
        } finally {
            lock.unlock();
        }
        store.saveNodeRun(executionId, nodeRun);
    }

    @Override
    public void saveChanges(List<Changes> changes) {
        store.saveChanges(changes);
    }

    @Override
    public Optional<Execution> find(String executionId) {
        lock.lock();
        try {
            Tracked entry = tracked.get(executionId);
            if (entry != null) {
                return Optional.of(entry.view());
            }
        } finally {
            lock.unlock();
        }
        return store.find(executionId);
    }

    /**
     * The store's listing with what it cannot show yet: tracked executions not written yet (a
     * batched run is inserted a flush delay after it starts, or after it ends) are listed where
     * their ids put them, and listed executions show their current status. So a client that ran a
     * workflow and lists its history sees the run at once, as with persistence "steps".
     *
     * <p>The unwritten ones are taken before the store is asked: one written and forgotten in
     * between is then in the store's answer, and one in both is listed once. The merged page keeps
     * the {@code limit} newest; what that cuts off comes on the next page (ids below its last one),
     * from the store or from here.
     */
    @Override
    public List<Execution> list(ExecutionQuery query) {
        List<Execution> unwritten = unwritten(query);
        List<Execution> listed = store.list(query);
        if (unwritten.isEmpty() && listed.isEmpty()) {
            return listed;
        }
        TreeMap<String, Execution> page = new TreeMap<>(Comparator.reverseOrder());
        for (Execution execution : unwritten) {
            page.put(execution.id(), execution);
        }
        lock.lock();
        try {
            for (Execution execution : listed) {
                Tracked entry = tracked.get(execution.id());
                page.put(execution.id(), entry == null ? execution : entry.summary());
            }
        } finally {
            lock.unlock();
        }
        return page.values().stream().limit(query.limit()).toList();
    }

    /** Summaries of the tracked executions the store may not have yet that the query asks for. */
    private List<Execution> unwritten(ExecutionQuery query) {
        lock.lock();
        try {
            List<Execution> found = new ArrayList<>();
            for (Tracked entry : tracked.values()) {
                Execution e = entry.fields;
                if (!entry.stored
                        && (query.workflowId() == null || query.workflowId().equals(e.workflowId()))
                        && (query.status() == null || query.status() == e.status())
                        && (query.before() == null || e.id().compareTo(query.before()) < 0)) {
                    found.add(entry.summary());
                }
            }
            return found;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Durability durability() {
        return store.durability();
    }

    @Override
    public List<Execution> unfinished() {
        return store.unfinished();
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return store.deleteFinishedBefore(cutoff, limit);
    }

    @Override
    public int deleteFinishedBeyond(int keepNewest, int limit) {
        return store.deleteFinishedBeyond(keepNewest, limit);
    }

    /** Writes everything buffered (waiting up to 30 s), then stops the flusher. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pauseUntil = 0;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        OutcomeJournal outcomes = journal;
        if (outcomes != null) {
            outcomes.close(); // its files go if every execution was stored; else they are read at the next start
        }
    }

    // ---- the flusher

    /**
     * Starts an entry's flush delay when it had nothing unwritten. The flusher only needs waking
     * when it sleeps with nothing due: otherwise it wakes for an earlier deadline anyway.
     */
    private void dirtied(Tracked entry) {
        entry.changes++;
        if (entry.dirtySince == 0) {
            entry.dirtySince = System.nanoTime();
            dirtyOrder.add(entry);
            if (idle) {
                wake.signal();
            }
        }
    }

    /**
     * Someone waits for an execution to be written. The flusher is woken only when that changes
     * what it does: not while it writes (it looks again after), and while it lingers only once a
     * full batch is due. A signal per waiter cost a futex wake-up and a rescan of the tracked
     * executions each, about 2 % of the CPU at a few thousand short runs a second.
     */
    private void urgent() {
        if (lingering) {
            if (++urgentWhileLingering >= FULL_BATCH) {
                wake.signal();
            }
        } else {
            wake.signal();
        }
    }

    /** A waiting or final execution must be on disk before the engine tells anyone about it. */
    private static boolean mustBeWritten(ExecutionStatus status) {
        return status.isFinal() || status == ExecutionStatus.WAITING;
    }

    private void run() {
        while (true) {
            List<Taken> batch;
            lock.lock();
            try {
                batch = awaitBatch();
                if (batch == null) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            write(batch);
            lastWriteEnd = System.nanoTime();
        }
    }

    /** Waits until something is due and takes it; null when closed with nothing left. Holds the lock. */
    private List<Taken> awaitBatch() {
        long lingerUntil = 0;
        while (true) {
            long now = System.nanoTime();
            long nextDue = Long.MAX_VALUE;
            List<Tracked> due = new ArrayList<>();
            boolean paused = now < pauseUntil;
            boolean anyDue = false;
            long gather = Math.min(GATHER_NANOS, flushDelayNanos / 4);
            if (paused) {
                nextDue = dirtyOrder.isEmpty() ? Long.MAX_VALUE : pauseUntil; // after a failed write: nothing before
            } else {
                for (Tracked entry : closed ? dirtyOrder : awaited) { // due now
                    if (due.size() == MAX_BATCH) {
                        break;
                    }
                    due.add(entry);
                }
                anyDue = !due.isEmpty();
                if (!closed) {
                    // The others in the order they fall due, up to the first not even almost due.
                    for (Tracked entry : dirtyOrder) {
                        if (due.size() == MAX_BATCH) {
                            anyDue = true;
                            break;
                        }
                        if (awaited.contains(entry)) {
                            continue; // taken above
                        }
                        long dueAt = entry.dirtySince + flushDelayNanos;
                        if (dueAt - gather > now) {
                            nextDue = Math.min(nextDue, dueAt); // only something due makes a write
                            break;
                        }
                        due.add(entry);
                        if (dueAt <= now) {
                            anyDue = true;
                        } else {
                            nextDue = Math.min(nextDue, dueAt);
                        }
                    }
                }
            }
            if (!anyDue) {
                due.clear(); // nothing due yet: what is almost due waits for it, to go in one transaction
            }
            if (!due.isEmpty() && due.size() < FULL_BATCH && !closed && now - lastWriteEnd < BUSY_NANOS) {
                if (lingerUntil == 0) {
                    lingerUntil = now + LINGER_NANOS;
                }
                if (now < lingerUntil) {
                    lingering = true;
                    urgentWhileLingering = due.size();
                    try {
                        wake.awaitNanos(lingerUntil - now);
                    } catch (InterruptedException e) {
                        // nobody interrupts this thread on purpose
                    } finally {
                        lingering = false;
                    }
                    continue;
                }
            }
            if (!due.isEmpty()) {
                List<Taken> batch = new ArrayList<>(due.size());
                for (Tracked entry : due) {
                    dirtyOrder.remove(entry);
                    awaited.remove(entry);
                    batch.add(entry.take());
                }
                return batch;
            }
            if (closed && nextDue == Long.MAX_VALUE) {
                return null;
            }
            try {
                if (nextDue == Long.MAX_VALUE) {
                    idle = true;
                    try {
                        wake.await();
                    } finally {
                        idle = false;
                    }
                } else {
                    wake.awaitNanos(nextDue - now);
                }
            } catch (InterruptedException e) {
                // nobody interrupts this thread on purpose; close() signals
            }
        }
    }

    private void write(List<Taken> batch) {
        try {
            store.saveChanges(batch.stream().map(Taken::changes).toList());
            written(batch);
            return;
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                failed(batch.get(0), e);
                return;
            }
            LOG.log(Level.FINE, "a batch of " + batch.size() + " executions failed; writing each alone", e);
        }
        for (Taken taken : batch) {
            try {
                store.saveChanges(List.of(taken.changes()));
                written(List.of(taken));
            } catch (RuntimeException | Error e) {
                failed(taken, e);
            }
        }
    }

    private void written(List<Taken> batch) {
        lock.lock();
        try {
            for (Taken taken : batch) {
                Tracked entry = taken.entry();
                entry.stored = true;
                if (taken.journalSegment() != null) {
                    journal.release(taken.journalSegment());
                }
                if (entry.inFlight == taken.done()) {
                    entry.inFlight = null;
                }
                if (!entry.dirty() && entry.fields.status().isFinal()) {
                    tracked.remove(entry.id, entry);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Taken taken : batch) {
            taken.done().complete(null);
            taken.waiters().forEach(waiter -> waiter.complete(null));
        }
    }

    private void failed(Taken taken, Throwable failure) {
        LOG.log(Level.WARNING, "writing execution " + taken.entry().id + " failed; it stays buffered and is tried again: "
                + failure, failure);
        lock.lock();
        try {
            taken.entry().restore(taken);
            dirtyOrder.add(taken.entry()); // dirty again since now: at the end of the order
            if (taken.journalSegment() != null) {
                if (taken.entry().journalSegment == null) {
                    taken.entry().journalSegment = taken.journalSegment();
                } else {
                    journal.release(taken.journalSegment()); // a newer record of it is reserved
                }
            }
            if (taken.entry().inFlight == taken.done()) {
                taken.entry().inFlight = null;
            }
            pauseUntil = System.nanoTime() + RETRY_PAUSE_NANOS;
        } finally {
            lock.unlock();
        }
        taken.done().completeExceptionally(failure);
        taken.waiters().forEach(waiter -> waiter.completeExceptionally(failure));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the engine's execution writer is closed");
        }
    }

    private static void join(CompletableFuture<Void> written) {
        try {
            // Not interruptible, like a store write: the change is queued and will be written.
            written.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** What one flush takes from a tracked execution, to give back if the write fails. */
    private record Taken(Tracked entry, Changes changes, boolean insert, boolean fieldsDirty, List<String> nodes,
                         List<CompletableFuture<Void>> waiters, CompletableFuture<Void> done,
                         OutcomeJournal.Segment journalSegment) {
    }

    /** One tracked execution: its current state and what of it is not written yet. Guarded by the lock. */
    private static final class Tracked {
        final String id;
        Execution fields;
        final LinkedHashMap<String, NodeRun> nodes = new LinkedHashMap<>();
        boolean stored;
        boolean fieldsDirty;
        final LinkedHashSet<String> dirtyNodes = new LinkedHashSet<>();
        long dirtySince;
        boolean insertPending;
        List<CompletableFuture<Void>> waiters = new ArrayList<>(1);
        /** Completes when the changes the flusher took last are written (null when none are on the way). */
        CompletableFuture<Void> inFlight;
        /** The journal file holding a record of this execution not yet stored, or null. */
        OutcomeJournal.Segment journalSegment;
        /** Counts changes, to tell whether one came after the outcome was journaled. */
        long changes;
        /** {@link #changes} when its outcome was last journaled, -1 if never. */
        long journaledChanges = -1;
        /** The outcome last journaled, as the journal wrote it (JSON), or null. */
        byte[] journaledJson;
        /** Where the store's values are in {@link #journaledJson}, or null. */
        ExecutionRepository.JsonSpans journaledSpans;

        Tracked(Execution execution, boolean stored) {
            this.id = execution.id();
            this.fields = execution;
            this.stored = stored;
            this.insertPending = !stored;
            for (NodeRun run : execution.nodes()) {
                nodes.put(run.nodeId(), run);
            }
        }

        /** Its current state is in the journal: durable though maybe not stored yet. */
        boolean journaled() {
            return journaledChanges == changes;
        }

        boolean dirty() {
            return insertPending || fieldsDirty || !dirtyNodes.isEmpty();
        }


        CompletableFuture<Void> waiter() {
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            waiters.add(waiter);
            return waiter;
        }

        Execution view() {
            return withNodes(new ArrayList<>(nodes.values()));
        }

        Execution summary() {
            return withNodes(List.of());
        }

        private Execution withNodes(List<NodeRun> runs) {
            Execution f = fields;
            return new Execution(f.id(), f.workflowId(), f.workflowVersion(), f.status(), f.trigger(), f.input(),
                    f.createdAt(), f.startedAt(), f.finishedAt(), f.outputs(), f.error(), runs);
        }

        Taken take() {
            Changes changes;
            boolean insert = insertPending;
            // An insert writes every node run; a failed one is retried as an insert.
            List<String> nodeIds = insert || dirtyNodes.isEmpty() ? List.of() : List.copyOf(dirtyNodes);
            boolean wasDirty = fieldsDirty;
            if (insert) {
                // The store may take the row's JSON from the journal record instead of writing it again.
                changes = journaled() ? new Changes(view(), true, true, List.of(), journaledJson, journaledSpans)
                        : new Changes(view(), true, true, List.of());
            } else {
                List<NodeRun> runs = new ArrayList<>(nodeIds.size());
                for (String node : nodeIds) {
                    runs.add(nodes.get(node));
                }
                changes = new Changes(summary(), false, wasDirty, runs);
            }
            Taken taken = new Taken(this, changes, insert, wasDirty, nodeIds, waiters, new CompletableFuture<>(), journalSegment);
            journalSegment = null;
            inFlight = taken.done();
            insertPending = false;
            fieldsDirty = false;
            dirtyNodes.clear();
            dirtySince = 0;
            waiters = new ArrayList<>(1);
            return taken;
        }

        void restore(Taken taken) {
            insertPending |= taken.insert();
            fieldsDirty |= taken.fieldsDirty();
            dirtyNodes.addAll(taken.nodes());
            if (dirtySince == 0) {
                dirtySince = System.nanoTime(); // the flusher's pause decides when it is tried again
            }
        }
    }
}

package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qflow.engine.EncodedExecution;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.ConflictException;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.ValidationException;
import io.qflow.engine.internal.expression.JexlExpressions;
import io.qflow.engine.internal.model.NodeSpec;
import io.qflow.engine.internal.persistence.OutcomeJournal;
import io.qflow.engine.internal.validation.WorkflowValidator;
import io.qflow.engine.spi.ExecutionRepository;
import io.qflow.engine.spi.WorkflowRepository;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link ExecutionService}: accepts runs, persists them before starting them, keeps the runs in
 * progress, resumes unfinished ones at start-up, and completes waiters.
 */
public final class ExecutionEngine implements ExecutionService, ExecutionRun.Host, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ExecutionEngine.class.getName());
    /** How long a node waits for its type to come back while a plugin is being replaced. */
    private static final long TYPE_WAIT_MS = 5_000;

    /** A validated workflow version, reused until the workflow or the catalogue changes. */
    private record Prepared(int version, long catalogGeneration, WorkflowValidator.Result result, Map<String, Set<String>> deferred,
                            Set<String> firstArrival) {
    }

    private final WorkflowRepository workflows;
    /** The store, seen through write-behind for executions of workflows with {@code persistence: batched}. */
    private final io.qflow.engine.internal.persistence.WriteBehindExecutions executions;
    private final NodeCatalog catalog;
    private final WorkflowValidator validator;
    private final JexlExpressions expressions;
    private final ScheduledExecutorService timers;
    private final Map<String, ExecutionRun> active = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Execution>> waiters = new ConcurrentHashMap<>();
    /** Callers of {@link #awaitSettled}, signalled when their execution starts waiting for a decision. */
    private final Map<String, CompletableFuture<Void>> settled = new ConcurrentHashMap<>();
    private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();
    private final Map<String, Execution> parked = new ConcurrentHashMap<>();
    private final AtomicLong catalogGeneration = new AtomicLong();
    private static final int WORKFLOW_CACHE_LIMIT = 10_000;
    private final Map<String, StoredWorkflow> workflowCache = new ConcurrentHashMap<>();
    private final AtomicLong workflowChanges = new AtomicLong();
    private final AutoCloseable catalogListener;
    private volatile boolean shuttingDown;
    private volatile io.qflow.engine.spi.NodeResultCache nodeResultCache = new io.qflow.engine.internal.cache.LruNodeResultCache();
    /** Live events and counters ({@link io.qflow.engine.ExecutionMonitor}); runs publish into it. */
    private final io.qflow.engine.internal.events.ExecutionEventHub events;

    /**
     * How long a batched execution's changes may wait in memory before they are written unasked.
     * Short, since what waits is kept alive: at 100 ms, under run-and-wait load, the executions
     * waiting for the flusher were most of what each young collection copied; at 50 ms, in two A/B
     * pairs, the GC threads' CPU per batched request fell from ~8.5 to ~6.8 us and the flusher's did
     * not rise (its transactions still take ~12 ms of executions each).
     */
    public static final long DEFAULT_FLUSH_DELAY_MS = 50;

    public ExecutionEngine(WorkflowRepository workflows, ExecutionRepository executions, NodeCatalog catalog,
                           WorkflowValidator validator, JexlExpressions expressions) {
        this(workflows, executions, catalog, validator, expressions, DEFAULT_FLUSH_DELAY_MS);
    }

    /** @param flushDelayMs see {@link #DEFAULT_FLUSH_DELAY_MS} */
    public ExecutionEngine(WorkflowRepository workflows, ExecutionRepository executions, NodeCatalog catalog,
                           WorkflowValidator validator, JexlExpressions expressions, long flushDelayMs) {
        this.workflows = workflows;
        this.executions = new io.qflow.engine.internal.persistence.WriteBehindExecutions(executions, flushDelayMs);
        this.catalog = catalog;
        this.validator = validator;
        this.expressions = expressions;
        this.events = new io.qflow.engine.internal.events.ExecutionEventHub(this.executions, this::parkedCount);
        ScheduledThreadPoolExecutor timerThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qflow-engine-timers");
            t.setDaemon(true);
            return t;
        });
        // Most timers (a run-and-wait's deadline, node timeouts) are cancelled long before they are
        // due: take them out at once instead of keeping thousands queued for minutes.
        timerThread.setRemoveOnCancelPolicy(true);
        this.timers = timerThread;
        this.catalogListener = catalog.onChange(type -> {
            catalogGeneration.incrementAndGet();
            if (!parked.isEmpty()) {
                Thread.ofVirtual().name("qflow-resume-parked").start(this::resumeParked);
            }
        });
    }

    @Override
    public Execution start(String workflowId, JsonNode input, String trigger) throws NotFoundException, ValidationException {
        return accept(workflowId, input, trigger, true, false);
    }

    /**
     * Start and wait in one: for a batched workflow the accepted execution is not written on its
     * own first, since the caller is told the outcome, which is written before it is returned (one
     * write for a short run). A run still going at the timeout is written before it is returned.
     * The caller's thread runs the nodes that do not block ({@link ExecutionRun#startOnCaller}).
     */
    @Override
    public Execution run(String workflowId, JsonNode input, String trigger, Duration timeout)
            throws NotFoundException, ValidationException, InterruptedException {
        Execution started = accept(workflowId, input, trigger, false, true);
        if (started.status().isFinal()) {
            return started; // it ended on this thread, and is written
        }
        Execution settled = awaitSettled(started.id(), timeout);
        executions.flush(started.id());
        return settled;
    }

    /**
     * A new run of the workflow's current version, validated, accepted and launched.
     *
     * @param onCaller the caller waits for the outcome: its thread runs what does not block first,
     *                 and gets the outcome if the run ended meanwhile
     */
    private Execution accept(String workflowId, JsonNode input, String trigger, boolean durableAccept, boolean onCaller)
            throws NotFoundException, ValidationException {
        if (shuttingDown) {
            throw new IllegalStateException("the engine is stopping");
        }
        StoredWorkflow workflow = currentWorkflow(workflowId);
        Prepared ready = prepare(workflow);
        if (!ready.result().valid()) {
            throw new ValidationException("workflow '" + workflowId + "' cannot run", ready.result().problems());
        }
        return insertAndLaunch(workflow, ready, input, trigger, Map.of(), durableAccept, onCaller);
    }

    /**
     * Accepts and starts a run in one write (it begins right away, so it is stored as running).
     * Returns the accepted execution, or with {@code onCaller} the outcome if the run ended on the
     * caller's thread.
     *
     * @param done node runs to take over as already finished, by node id (a retry); the others are pending
     */
    private Execution insertAndLaunch(StoredWorkflow workflow, Prepared ready, JsonNode input, String trigger,
                                      Map<String, NodeRun> done, boolean durableAccept, boolean onCaller) {
        List<NodeRun> nodes = new ArrayList<>();
        for (NodeSpec node : ready.result().definition().nodes()) {
            NodeRun kept = done.get(node.id());
            nodes.add(kept != null ? kept
                    : new NodeRun(node.id(), node.type(), NodeRunStatus.PENDING, 0, null, null, null, null, List.of(), null));
        }
        Instant now = Timestamps.now();
        Execution execution = new Execution(TimeOrderedIds.next(now), workflow.id(), workflow.version(), ExecutionStatus.RUNNING,
                trigger == null ? "manual" : trigger, input == null || input.isNull() ? JsonNodeFactory.instance.objectNode() : input,
                now, now, null, null, null, nodes);
        if (batched(ready)) {
            executions.accept(execution);
            events.accepted();
            Execution outcome = launch(ready, execution, onCaller);
            if (durableAccept) {
                executions.flush(execution.id());
            }
            return outcome != null ? outcome : execution;
        }
        executions.insert(execution);
        events.accepted();
        Execution outcome = launch(ready, execution, onCaller);
        return outcome != null ? outcome : execution;
    }

    @Override
    public Execution retry(String executionId, boolean fromStart, boolean currentVersion)
            throws NotFoundException, ConflictException, ValidationException {
        if (shuttingDown) {
            throw new IllegalStateException("the engine is stopping");
        }
        Execution old = executions.find(executionId)
                .orElseThrow(() -> new NotFoundException("no execution with id '" + executionId + "'"));
        if (!old.status().isFinal() || active.containsKey(executionId)) {
            throw new ConflictException("execution '" + executionId + "' is " + old.status().json()
                    + "; only a finished execution can be retried (cancel it first)");
        }
        if (!fromStart && old.status() == ExecutionStatus.SUCCEEDED) {
            throw new ConflictException("execution '" + executionId + "' succeeded: nothing failed to retry from; retry it from the start");
        }
        StoredWorkflow workflow = workflows.find(old.workflowId())
                .orElseThrow(() -> new ConflictException("the workflow '" + old.workflowId() + "' of execution '" + executionId
                        + "' was deleted"));
        if (!currentVersion && workflow.version() != old.workflowVersion()) {
            throw new ConflictException("execution '" + executionId + "' ran version " + old.workflowVersion() + " of workflow '"
                    + workflow.id() + "', which is now at version " + workflow.version()
                    + "; older versions are not kept, retry with the current version");
        }
        Prepared ready = prepare(workflow);
        if (!ready.result().valid()) {
            throw new ValidationException("workflow '" + workflow.id() + "' cannot run", ready.result().problems());
        }
        Map<String, NodeRun> kept = fromStart ? Map.of() : keptForRetry(ready.result().definition(), old);
        return insertAndLaunch(workflow, ready, old.input(), "retry:" + executionId, kept, true, false);
    }

    /**
     * The node runs of a failed execution a retry takes over: those that succeeded, of the same type,
     * and whose upstream nodes are all taken over too (a node fed by one that runs again runs again).
     */
    private static Map<String, NodeRun> keptForRetry(io.qflow.engine.internal.model.WorkflowDefinition definition, Execution old) {
        Map<String, NodeRun> kept = new HashMap<>();
        for (NodeRun run : old.nodes()) {
            NodeSpec spec = definition.node(run.nodeId());
            if (run.status() == NodeRunStatus.SUCCEEDED && spec != null && spec.type().equals(run.type())) {
                kept.put(run.nodeId(), run);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = kept.keySet().removeIf(node -> definition.incoming(node).stream()
                    .anyMatch(c -> !kept.containsKey(c.fromNode())));
        }
        Map<String, NodeRun> marked = new HashMap<>();
        kept.forEach((node, run) -> {
            List<io.qflow.engine.LogLine> logs = new ArrayList<>(run.logs());
            logs.add(new io.qflow.engine.LogLine(Timestamps.now(), "info", "kept from execution " + old.id() + " (retry from the failed node)"));
            marked.put(node, new NodeRun(run.nodeId(), run.type(), run.status(), run.attempts(), run.startedAt(), run.finishedAt(),
                    run.inputs(), run.outputs(), logs, run.error(), run.cached()));
        });
        return marked;
    }

    /**
     * The stored workflow, read once and then kept until {@link #workflowChanged} says it changed:
     * reading and parsing the document for every run cost a tenth of a short webhook run. Only this
     * runtime writes its workflows (WorkflowDocuments tells this engine of every change), so the
     * copy stays current. The engine only reads the document.
     */
    private StoredWorkflow currentWorkflow(String workflowId) throws NotFoundException {
        StoredWorkflow cached = workflowCache.get(workflowId);
        if (cached != null) {
            return cached;
        }
        long generation = workflowChanges.get();
        StoredWorkflow workflow = workflows.find(workflowId)
                .orElseThrow(() -> new NotFoundException("no workflow with id '" + workflowId + "'"));
        if (workflowCache.size() >= WORKFLOW_CACHE_LIMIT) {
            workflowCache.clear();
        }
        workflowCache.put(workflowId, workflow);
        if (workflowChanges.get() != generation) {
            workflowCache.remove(workflowId, workflow); // changed while it was read: may be the old one
        }
        return workflow;
    }

    /** How long a batched execution's changes may wait in memory before they are written unasked. */
    public void persistenceFlushDelay(long millis) {
        executions.flushDelay(millis);
    }

    /** A workflow was updated or deleted: the next run reads it again. */
    public void workflowChanged(String workflowId) {
        workflowChanges.incrementAndGet();
        workflowCache.remove(workflowId);
    }

    private static boolean batched(Prepared ready) {
        return ready.result().definition().settings().persistence() == io.qflow.engine.internal.model.Persistence.BATCHED;
    }

    /** Starts the run; with {@code onCaller}, returns its outcome if it ended on this thread (else null). */
    private Execution launch(Prepared ready, Execution execution, boolean onCaller) {
        if (batched(ready)) {
            executions.adopt(execution); // a resumed run; no-op for one just accepted
        }
        ExecutionRun run = new ExecutionRun(this, expressions, ready.result().definition(), ready.result().ports(),
                ready.deferred(), ready.firstArrival(), execution);
        active.put(execution.id(), run);
        if (onCaller) {
            return run.startOnCaller();
        }
        run.start();
        return null;
    }

    private Prepared prepare(StoredWorkflow workflow) {
        long generation = catalogGeneration.get();
        Prepared cached = prepared.get(workflow.id());
        if (cached != null && cached.version() == workflow.version() && cached.catalogGeneration() == generation) {
            return cached;
        }
        WorkflowValidator.Result result = validator.validate(workflow.document(), workflow.id(), workflow.version());
        Map<String, Set<String>> deferred = new HashMap<>();
        Set<String> firstArrival = new java.util.HashSet<>();
        if (result.definition() != null) {
            for (NodeSpec node : result.definition().nodes()) {
                catalog.descriptor(node.type()).map(NodeDescriptor::deferredConfig)
                        .filter(fields -> !fields.isEmpty()).ifPresent(fields -> deferred.put(node.id(), fields));
                if (catalog.triggerType(node.type()).isPresent() && node.config() != null) {
                    // A trigger node only emits what its trigger fired with: its config (resolved when the
                    // workflow was activated, secrets included) is not evaluated again for every run.
                    Set<String> all = new java.util.HashSet<>();
                    node.config().fieldNames().forEachRemaining(all::add);
                    deferred.put(node.id(), all);
                }
                if (catalog.nodeType(node.type()).map(type -> type.startsOnFirstInput(node.config())).orElse(false)) {
                    firstArrival.add(node.id());
                }
            }
        }
        Prepared fresh = new Prepared(workflow.version(), generation, result, deferred, Set.copyOf(firstArrival));
        prepared.put(workflow.id(), fresh);
        return fresh;
    }

    /**
     * A batched run's outcome was written out as JSON for its journal record moments ago: the answer
     * is those bytes while they are still the execution's current state (until it is stored).
     */
    @Override
    public EncodedExecution runEncoded(String workflowId, JsonNode input, String trigger, Duration timeout)
            throws NotFoundException, ValidationException, InterruptedException {
        Execution settled = run(workflowId, input, trigger, timeout);
        return new EncodedExecution(settled, settled.status().isFinal() ? executions.journaledJson(settled.id()) : null);
    }

    @Override
    public Execution await(String executionId, Duration timeout) throws NotFoundException, InterruptedException {
        CompletableFuture<Execution> done = completion(executionId).toCompletableFuture();
        try {
            return done.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return get(executionId).orElseThrow(() -> new NotFoundException("no execution with id '" + executionId + "'"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for execution " + executionId + " failed", e.getCause());
        }
    }

    @Override
    public Execution awaitSettled(String executionId, Duration timeout) throws NotFoundException, InterruptedException {
        // Registered before the status is read, so a run that starts waiting in between still signals it.
        CompletableFuture<Void> waiting = settled.computeIfAbsent(executionId, id -> new CompletableFuture<>());
        try {
            CompletableFuture<Execution> done = completion(executionId).toCompletableFuture();
            Execution current = get(executionId).orElseThrow(() -> new NotFoundException("no execution with id '" + executionId + "'"));
            if (current.status() == ExecutionStatus.WAITING && !done.isDone()) {
                return current;
            }
            awaitEither(done, waiting, timeout);
            return done.isDone() ? done.join() : get(executionId).orElse(current);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for execution " + executionId + " failed", e.getCause());
        } finally {
            settled.remove(executionId, waiting);
        }
    }

    /**
     * Waits until one of the two completes or the timeout passes. The deadline is a task of the
     * engine's timer thread rather than a timed park: a timed park of a virtual thread schedules and
     * cancels a task on the JDK's own delay scheduler, whose thread then took ~3 % of the CPU at a few
     * thousand run-and-wait calls a second; the timer queue takes a cancelled deadline out in
     * O(log n), and the timer thread does not wake for deadlines later than its next one.
     */
    private void awaitEither(CompletableFuture<?> one, CompletableFuture<?> other, Duration timeout)
            throws InterruptedException, ExecutionException {
        CompletableFuture<Object> either = CompletableFuture.anyOf(one, other);
        if (either.isDone()) {
            either.get();
            return;
        }
        ScheduledFuture<?> deadline;
        try {
            deadline = timers.schedule(() -> either.complete(null), Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            try {
                either.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS); // the engine is stopping
            } catch (TimeoutException e) {
                // answered with the execution as it is
            }
            return;
        }
        try {
            either.get();
        } finally {
            deadline.cancel(false);
        }
    }

    @Override
    public void waiting(ExecutionRun run) {
        CompletableFuture<Void> signal = settled.remove(run.id());
        if (signal != null) {
            signal.complete(null);
        }
    }

    @Override
    public CompletionStage<Execution> completion(String executionId) throws NotFoundException {
        CompletableFuture<Execution> future = waiters.computeIfAbsent(executionId, id -> new CompletableFuture<>());
        if (!active.containsKey(executionId)) {
            Optional<Execution> stored = executions.find(executionId);
            if (stored.isEmpty()) {
                waiters.remove(executionId, future);
                throw new NotFoundException("no execution with id '" + executionId + "'");
            }
            if (stored.get().status().isFinal()) {
                waiters.remove(executionId, future);
                future.complete(stored.get());
            }
        }
        return future;
    }

    @Override
    public Optional<Execution> get(String executionId) {
        return executions.find(executionId);
    }

    @Override
    public List<Execution> list(ExecutionQuery query) {
        return executions.list(query);
    }

    @Override
    public Execution cancel(String executionId) throws NotFoundException, ConflictException {
        ExecutionRun run = active.get(executionId);
        if (run != null) {
            run.cancel();
            try {
                return await(executionId, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return get(executionId).orElseThrow();
            }
        }
        Execution stored = executions.find(executionId)
                .orElseThrow(() -> new NotFoundException("no execution with id '" + executionId + "'"));
        if (stored.status().isFinal()) {
            throw new ConflictException("execution '" + executionId + "' has already finished (" + stored.status().json() + ")");
        }
        // Not running here (parked until its plugins return): end it in the store directly.
        parked.remove(executionId);
        Execution cancelled = new Execution(stored.id(), stored.workflowId(), stored.workflowVersion(), ExecutionStatus.CANCELLED,
                stored.trigger(), stored.input(), stored.createdAt(), stored.startedAt(), Timestamps.now(), stored.outputs(),
                new ErrorInfo("the execution was cancelled", "cancelled", "execution.cancelled", null, null), List.of());
        executions.updateExecution(cancelled);
        events.endedElsewhere(cancelled);
        completeWaiter(cancelled);
        return executions.find(executionId).orElse(cancelled);
    }

    @Override
    public Execution resume(String executionId, String nodeId, String decision, JsonNode data)
            throws NotFoundException, ConflictException, ValidationException {
        ExecutionRun run = active.get(executionId);
        if (run == null) {
            Execution stored = executions.find(executionId)
                    .orElseThrow(() -> new NotFoundException("no execution with id '" + executionId + "'"));
            throw new ConflictException("execution '" + executionId + "' is " + stored.status().json()
                    + (stored.status().isFinal() ? "" : " but not running in this runtime yet") + ", not waiting for a decision");
        }
        run.decide(nodeId, new io.qflow.sdk.Decision(decision, data, false));
        return executions.find(executionId).orElseThrow(() -> new NotFoundException("no execution with id '" + executionId + "'"));
    }

    /**
     * Resumes executions that were queued, running or waiting when the runtime stopped: finished
     * nodes keep their results, interrupted ones run again. Runs whose node types are not
     * registered yet are parked until the catalogue changes.
     */
    public synchronized void recover() {
        for (Execution execution : executions.unfinished()) {
            if (active.containsKey(execution.id())) {
                continue;
            }
            Execution full = executions.find(execution.id()).orElse(execution);
            resume(full);
        }
    }

    private void resume(Execution execution) {
        Optional<StoredWorkflow> workflow = workflows.find(execution.workflowId());
        if (workflow.isEmpty()) {
            failUnresumable(execution, "its workflow '" + execution.workflowId() + "' was deleted");
            return;
        }
        Prepared ready = prepare(workflow.get());
        if (!ready.result().valid()) {
            parked.put(execution.id(), execution);
            LOG.info(() -> "execution " + execution.id() + " waits for its node types before resuming: " + ready.result().problems());
            return;
        }
        parked.remove(execution.id());
        LOG.info(() -> "resuming execution " + execution.id() + " of workflow " + execution.workflowId());
        launch(ready, execution, false);
    }

    /**
     * Every catalogue change (each node type of a starting bundle) may call this at once: it is
     * synchronized with {@link #recover()} so one parked execution is never launched twice.
     */
    private synchronized void resumeParked() {
        for (Execution execution : List.copyOf(parked.values())) {
            if (parked.containsKey(execution.id()) && !active.containsKey(execution.id())) {
                try {
                    resume(execution);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not resume execution " + execution.id(), e);
                }
            }
        }
    }

    private void failUnresumable(Execution execution, String why) {
        Execution failed = new Execution(execution.id(), execution.workflowId(), execution.workflowVersion(), ExecutionStatus.FAILED,
                execution.trigger(), execution.input(), execution.createdAt(), execution.startedAt(), Timestamps.now(), execution.outputs(),
                new ErrorInfo("cannot resume: " + why, "unresumable", "execution.unresumable", null, null), List.of());
        executions.updateExecution(failed);
        events.endedElsewhere(failed);
        completeWaiter(failed);
    }

    /** Executions accepted but waiting for node types to reappear. */
    public int parkedCount() {
        return parked.size();
    }

    // ---- ExecutionRun.Host

    private volatile io.qflow.engine.internal.blob.LargeValues largeValues;

    /** Keeps large node values out of execution records (set once, before the first run). */
    public void largeValues(io.qflow.engine.internal.blob.LargeValues values) {
        this.largeValues = values;
    }

    @Override
    public io.qflow.engine.internal.blob.LargeValues largeValues() {
        return largeValues;
    }

    @Override
    public NodeType nodeType(String type) throws InterruptedException {
        Optional<NodeType> found = catalog.nodeType(type);
        if (found.isPresent()) {
            return found.get();
        }
        CountDownLatch changed = new CountDownLatch(1);
        try (AutoCloseable ignored = catalog.onChange(t -> {
            if (t.equals(type)) {
                changed.countDown();
            }
        })) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TYPE_WAIT_MS);
            while ((found = catalog.nodeType(type)).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !changed.await(left, TimeUnit.NANOSECONDS)) {
                    return catalog.nodeType(type).orElse(null);
                }
            }
            return found.get();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public NodeType nodeTypeNow(String type) {
        return catalog.nodeType(type).orElse(null);
    }

    @Override
    public ExecutionRepository repository() {
        return executions;
    }

    @Override
    public ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public void finished(ExecutionRun run, Execution execution) {
        active.remove(run.id(), run);
        completeWaiter(execution);
        if (execution.status() == ExecutionStatus.FAILED) {
            startErrorWorkflow(run.definition(), execution);
        }
    }

    /** The trigger of a sub-workflow run: {@code parent:<executionId>/<nodeId>}. */
    static final String PARENT_TRIGGER = "parent:";
    /** How many workflows deep sub-workflows may nest (the top-level run counts as one). */
    static final int MAX_WORKFLOW_DEPTH = 10;
    /** How often a node waiting for its sub-workflow looks whether it was cancelled meanwhile. */
    private static final long CHILD_POLL_MS = 50;

    @Override
    public JsonNode runWorkflow(ExecutionRun parent, String nodeId, String workflowId, JsonNode input, Duration timeout,
                                RunNodeContext caller) throws io.qflow.sdk.NodeException {
        if (workflowId == null || workflowId.isBlank()) {
            throw new io.qflow.sdk.NodeException("workflow.not_found", "no sub-workflow id given", false, null);
        }
        List<String> chain = workflowChain(parent);
        if (chain.contains(workflowId)) {
            throw new io.qflow.sdk.NodeException("workflow.recursion", "workflow '" + workflowId + "' is already running in the chain "
                    + String.join(" -> ", chain) + "; a sub-workflow may not call itself or an ancestor", false, null);
        }
        if (chain.size() >= MAX_WORKFLOW_DEPTH) {
            throw new io.qflow.sdk.NodeException("workflow.recursion", "sub-workflows nest at most " + MAX_WORKFLOW_DEPTH
                    + " deep: " + String.join(" -> ", chain) + " -> " + workflowId, false, null);
        }
        if (caller.aborted()) {
            throw new java.util.concurrent.CancellationException("node " + nodeId + " was cancelled");
        }
        String trigger = PARENT_TRIGGER + parent.id() + "/" + nodeId;
        Optional<Execution> adopted = caller.state().interrupted ? previousChild(parent, trigger, workflowId, input, caller.state())
                : Optional.empty();
        Execution child;
        try {
            child = adopted.isPresent() ? adopted.get() : start(workflowId, input, trigger);
            caller.state().knownChildren.add(child.id());
        } catch (NotFoundException e) {
            throw new io.qflow.sdk.NodeException("workflow.not_found", "sub-workflow '" + workflowId + "' does not exist", false, e);
        } catch (ValidationException e) {
            throw new io.qflow.sdk.NodeException("workflow.invalid", "sub-workflow '" + workflowId + "' cannot run: "
                    + e.problems(), false, e);
        } catch (IllegalStateException stopping) {
            if (shuttingDown) { // the node is left as interrupted and runs again at the next start
                throw new java.util.concurrent.CancellationException("the engine is stopping");
            }
            throw stopping;
        }
        caller.log().info(adopted.isPresent()
                ? "took over sub-workflow '" + workflowId + "' execution " + child.id() + ", started before the restart"
                : "started sub-workflow '" + workflowId + "' as execution " + child.id());
        CompletableFuture<Execution> done;
        try {
            done = completion(child.id()).toCompletableFuture();
        } catch (NotFoundException e) {
            throw new IllegalStateException("sub-workflow execution " + child.id() + " vanished", e);
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        Execution finished = null;
        try {
            while (finished == null) {
                if (caller.aborted()) {
                    cancelChild(child.id(), nodeId);
                    throw new java.util.concurrent.CancellationException("node " + nodeId + " was cancelled; so was its sub-workflow "
                            + "execution " + child.id());
                }
                long left = timeout == null ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    cancelChild(child.id(), nodeId);
                    throw new io.qflow.sdk.NodeException("workflow.timeout", "sub-workflow execution " + child.id() + " of '" + workflowId
                            + "' did not finish within " + timeout.toMillis() / 1000.0 + " s; it was cancelled", false, null);
                }
                try {
                    finished = done.get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, CHILD_POLL_MS), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // running or waiting: look again
                }
            }
        } catch (InterruptedException e) {
            cancelChild(child.id(), nodeId);
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("node " + nodeId + " was interrupted; its sub-workflow execution "
                    + child.id() + " was cancelled");
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for sub-workflow execution " + child.id() + " failed", e.getCause());
        }
        caller.log().info("sub-workflow execution " + child.id() + " " + finished.status().json());
        return switch (finished.status()) {
            case SUCCEEDED -> finished.outputs() == null ? JsonNodeFactory.instance.objectNode() : finished.outputs();
            case CANCELLED -> throw new io.qflow.sdk.NodeException("workflow.cancelled", "sub-workflow execution " + child.id() + " of '"
                    + workflowId + "' was cancelled", false, null);
            default -> throw new io.qflow.sdk.NodeException("workflow.failed", "sub-workflow execution " + child.id() + " of '"
                    + workflowId + "' " + finished.status().json() + ": "
                    + (finished.error() == null ? "no error recorded" : errorText(finished.error())), false, null);
        };
    }

    /**
     * A sub-workflow execution that this node started with the same input before the engine
     * stopped and that has not failed: still going (it was resumed too) or succeeded. Without this,
     * the node running again after a restart started a second child, and the first one, resumed on
     * its own, did its work twice. Failed or cancelled children are not taken: the node starts a
     * new one, as a retry would. Each child is taken once per node run (a for-each calls the same
     * workflow many times, maybe with equal inputs).
     */
    private Optional<Execution> previousChild(ExecutionRun parent, String trigger, String workflowId, JsonNode input, NodeState caller) {
        for (ExecutionRun run : active.values()) {
            if (run.trigger().equals(trigger) && run.workflowId().equals(workflowId) && !caller.knownChildren.contains(run.id())) {
                Optional<Execution> stored = executions.find(run.id());
                if (stored.isPresent() && sameInput(stored.get().input(), input) && caller.knownChildren.add(run.id())) {
                    return stored;
                }
            }
        }
        // Children not resumed yet (recovery resumes them in creation order) or already succeeded:
        // newest first, back to when the parent was created. The listing is in id order, which ids
        // made by an older engine follow only to the millisecond: so the walk ends below the
        // parent's millisecond and skips what in it is older than the parent.
        Instant parentMillisecond = parent.createdAt().truncatedTo(ChronoUnit.MILLIS);
        String before = null;
        while (true) {
            List<Execution> page = executions.list(new ExecutionQuery(workflowId, null, 200, before));
            for (Execution e : page) {
                if (e.createdAt().isBefore(parentMillisecond)) {
                    return Optional.empty();
                }
                if (e.createdAt().isBefore(parent.createdAt())) {
                    continue;
                }
                boolean usable = !e.status().isFinal() || e.status() == ExecutionStatus.SUCCEEDED;
                if (usable && trigger.equals(e.trigger()) && !caller.knownChildren.contains(e.id()) && sameInput(e.input(), input)
                        && caller.knownChildren.add(e.id())) {
                    return Optional.of(e);
                }
            }
            if (page.size() < 200) {
                return Optional.empty();
            }
            before = page.getLast().id();
        }
    }

    private static boolean sameInput(JsonNode stored, JsonNode given) {
        boolean storedEmpty = stored == null || stored.isNull() || stored.isMissingNode() || (stored.isObject() && stored.isEmpty());
        boolean givenEmpty = given == null || given.isNull() || given.isMissingNode() || (given.isObject() && given.isEmpty());
        return storedEmpty ? givenEmpty : stored.equals(given);
    }

    private static String errorText(ErrorInfo error) {
        return (error.nodeId() == null ? "" : "node '" + error.nodeId() + "': ") + error.message()
                + (error.code() == null ? "" : " (" + error.code() + ")");
    }

    /** Cancels a sub-workflow run whose parent node stops waiting for it, unless the engine stops (then it resumes later). */
    private void cancelChild(String childId, String nodeId) {
        if (shuttingDown) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            cancel(childId);
        } catch (NotFoundException | ConflictException e) {
            // it finished meanwhile
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not cancel sub-workflow execution " + childId + " of node " + nodeId, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The workflow ids from the outermost run down to {@code run}, following {@code parent:} triggers
     * through the runs in progress (a parent waits for its children, so it is in progress too) and,
     * for one that is not, the store. Stops after {@link #MAX_WORKFLOW_DEPTH} + 1 levels.
     */
    private List<String> workflowChain(ExecutionRun run) {
        java.util.LinkedList<String> chain = new java.util.LinkedList<>();
        chain.addFirst(run.workflowId());
        String trigger = run.trigger();
        while (trigger != null && trigger.startsWith(PARENT_TRIGGER) && chain.size() <= MAX_WORKFLOW_DEPTH) {
            String rest = trigger.substring(PARENT_TRIGGER.length());
            int slash = rest.indexOf('/');
            String parentId = slash < 0 ? rest : rest.substring(0, slash);
            ExecutionRun parentRun = active.get(parentId);
            if (parentRun != null) {
                chain.addFirst(parentRun.workflowId());
                trigger = parentRun.trigger();
            } else {
                Optional<Execution> stored = executions.find(parentId);
                if (stored.isEmpty()) {
                    break;
                }
                chain.addFirst(stored.get().workflowId());
                trigger = stored.get().trigger();
            }
        }
        return chain;
    }

    /** The trigger of a run started by a failed execution's {@code settings.errorWorkflow}. */
    static final String ERROR_TRIGGER = "error:";

    /**
     * Starts the failed execution's error workflow, if it names one. A run that was itself started
     * as an error workflow starts none, so error workflows never loop.
     */
    private void startErrorWorkflow(io.qflow.engine.internal.model.WorkflowDefinition definition, Execution failed) {
        String errorWorkflow = definition.settings().errorWorkflow();
        if (errorWorkflow == null || shuttingDown || failed.trigger().startsWith(ERROR_TRIGGER)) {
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode input = JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ObjectNode execution = input.putObject("execution");
        execution.put("id", failed.id());
        execution.put("workflowId", failed.workflowId());
        com.fasterxml.jackson.databind.node.ObjectNode error = execution.putObject("error");
        ErrorInfo info = failed.error() == null ? ErrorInfo.of("failed") : failed.error();
        error.put("message", info.message());
        error.put("type", info.type());
        error.put("code", info.code());
        execution.put("failedNode", info.nodeId());
        com.fasterxml.jackson.databind.node.ObjectNode workflow = input.putObject("workflow");
        workflow.put("id", failed.workflowId());
        workflow.put("name", definition.name());
        try {
            start(errorWorkflow, input, ERROR_TRIGGER + failed.id());
        } catch (NotFoundException | ValidationException | IllegalStateException e) {
            LOG.log(Level.WARNING, "execution " + failed.id() + " failed and its error workflow '" + errorWorkflow
                    + "' could not start: " + e.getMessage(), e);
        }
    }

    private void completeWaiter(Execution execution) {
        CompletableFuture<Execution> future = waiters.remove(execution.id());
        if (future != null) {
            future.complete(execution);
        }
    }

    @Override
    public io.qflow.engine.spi.NodeResultCache nodeResultCache() {
        return nodeResultCache;
    }

    private volatile io.qflow.engine.internal.credentials.Credentials credentials;

    /** Where {@code secrets.<name>} in node configs is read from (set once, before the first run); null: no credentials. */
    public void credentials(io.qflow.engine.internal.credentials.Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public io.qflow.engine.internal.credentials.Credentials credentials() {
        return credentials;
    }

    /** Replaces the node result cache (default: an in-memory LRU of 10,000 entries); null turns caching off. */
    public void nodeResultCache(io.qflow.engine.spi.NodeResultCache cache) {
        this.nodeResultCache = cache;
    }

    @Override
    public boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public io.qflow.engine.internal.events.ExecutionEventHub eventHub() {
        return events;
    }

    /** Live events of executions and the engine's counters. */
    public io.qflow.engine.ExecutionMonitor monitor() {
        return events;
    }

    /** Executions in progress in this runtime. */
    public int activeCount() {
        return active.size();
    }

    /**
     * Makes the outcomes of batched runs durable in a journal in {@code directory} (see
     * {@link OutcomeJournal}) when the store's commits survive
     * no more than a killed process anyway (the embedded H2 file): a run-and-wait answer then waits
     * for one file write instead of a store transaction. First, what a journal left in the directory
     * (outcomes answered before a crash, maybe not stored) is written into the store. Call once,
     * before the first run and before {@link #recover}.
     */
    public void journalOutcomes(Path directory) {
        ObjectMapper json = OutcomeJournal.newObjectMapper();
        try {
            List<Execution> outcomes = OutcomeJournal.read(directory, json);
            if (!outcomes.isEmpty()) {
                int restored = executions.restore(outcomes);
                LOG.info("outcome journal in " + directory + ": " + outcomes.size() + " outcomes read, " + restored
                        + " were missing from the store and are written now");
            }
            OutcomeJournal.delete(directory);
        } catch (IOException | RuntimeException e) {
            // The files stay and are read again at the next start; nothing in them is lost.
            LOG.log(Level.SEVERE, "writing the outcome journal in " + directory + " into the store failed", e);
        }
        if (executions.durability() != ExecutionRepository.Durability.PROCESS_CRASH) {
            return; // the store's own commit promises more (or nothing survives anyway)
        }
        try {
            executions.journal(OutcomeJournal.open(directory, json));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot open an outcome journal in " + directory
                    + "; batched runs wait for the store instead", e);
        }
    }

    /**
     * Stops: running nodes are interrupted and left as they are in the store, so the next start
     * resumes them (a node interrupted here runs again with attempt + 1).
     */
    @Override
    public void close() {
        shuttingDown = true;
        active.values().forEach(ExecutionRun::interruptForShutdown);
        try {
            catalogListener.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing the catalogue listener", e);
        }
        timers.shutdownNow();
        executions.close();
        events.close();
        waiters.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the engine stopped")));
        waiters.clear();
    }
}

package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ConflictException;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.ExpressionException;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.Problem;
import io.qflow.engine.ValidationException;
import io.qflow.engine.internal.expression.JexlExpressions;
import io.qflow.engine.internal.model.Connection;
import io.qflow.engine.internal.model.NodeSpec;
import io.qflow.engine.internal.model.OnError;
import io.qflow.engine.internal.model.RetryPolicy;
import io.qflow.engine.internal.model.WorkflowDefinition;
import io.qflow.engine.spi.ExecutionRepository;
import io.qflow.sdk.Decision;
import io.qflow.sdk.DecisionException;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One execution in progress. Nodes run on virtual threads, up to the workflow's
 * {@code maxParallelism} at once. A node is ready when every incoming connection is resolved;
 * a thread that finishes a node carries on with one of the nodes it made ready, so a linear chain
 * runs without thread hand-offs. Every state change is persisted before it is acted on.
 *
 * <p>A caller that waits for the outcome ({@link #startOnCaller}) runs what it can on its own
 * thread: the nodes whose types say they do not block ({@link NodeType#nonBlocking}), along a chain
 * until one that may block, which goes to a thread of its own. Why: starting a thread for the run
 * and parking the caller until it ends cost about a seventh of the CPU of a short run-and-wait over
 * HTTP (two A/B pairs: ~15 us of ~110-160 us per request). Only nodes that do not block run there, so
 * the caller still answers at its timeout when a node takes long.
 */
public final class ExecutionRun {

    /** What a run needs from the engine that owns it. */
    public interface Host {
        /** The node type to run now, waiting briefly if its plugin is being replaced; null if it stays gone. */
        NodeType nodeType(String type) throws InterruptedException;

        /** The node type if it is available right now, without waiting; null otherwise. */
        default NodeType nodeTypeNow(String type) {
            return null;
        }

        ExecutionRepository repository();

        ScheduledExecutorService timers();

        /** Called when the run has nothing left to do but wait for decisions (status persisted). */
        default void waiting(ExecutionRun run) {
        }

        /** Called once, after the final state is persisted. */
        void finished(ExecutionRun run, Execution execution);

        /** True while the engine stops: interrupted nodes are left to be resumed at the next start. */
        boolean shuttingDown();

        /** Keeps large values out of execution records; null: values stay inline. */
        default io.qflow.engine.internal.blob.LargeValues largeValues() {
            return null;
        }

        /**
         * Runs a stored workflow as a child of node {@code nodeId} of {@code parent} and waits for it
         * ({@link io.qflow.sdk.NodeContext#runWorkflow}); returns the child's outputs.
         */
        default JsonNode runWorkflow(ExecutionRun parent, String nodeId, String workflowId, JsonNode input,
                                     java.time.Duration timeout, RunNodeContext caller) throws NodeException {
            throw new NodeException("workflow.unsupported", "this engine cannot run sub-workflows", false, null);
        }

        /** Where results of nodes with a {@code cache} option are kept; null: no caching. */
        default io.qflow.engine.spi.NodeResultCache nodeResultCache() {
            return null;
        }

        /** Where the run publishes its live events; null: nowhere. */
        default io.qflow.engine.internal.events.ExecutionEventHub eventHub() {
            return null;
        }

        /** Where {@code secrets.<name>} is read from; null: no credential exists. */
        default io.qflow.engine.internal.credentials.Credentials credentials() {
            return null;
        }
    }

    private enum Abort { NONE, FAILURE, CANCEL, TIMEOUT }

    private final Host host;
    private final JexlExpressions expressions;
    private final ConfigResolver resolver;
    private final WorkflowDefinition definition;
    private final Map<String, NodePorts> ports;
    private final Map<String, Set<String>> deferred;
    /** Ids of the nodes that start on the first value delivered to them (a Merge in mode first). */
    private final Set<String> firstArrival;
    private final Execution base;
    private final Map<String, NodeState> states = new LinkedHashMap<>();
    private final Map<String, Object> variables = new HashMap<>();
    /** This run's large-value bookkeeping (null: values stay inline in the record). */
    private final io.qflow.engine.internal.blob.LargeValues.Session largeValues;
    /** Live events: published right after each recorded change of a node or of the execution. */
    private final RunEvents events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Semaphore permits;
    private int finalCount;
    private int active;
    /** Nodes waiting for a decision: they hold no thread and count neither as active nor as final. */
    private int waiting;
    /** Whether the execution is recorded as waiting (nothing runs, some node waits). */
    private boolean recordedWaiting;
    private boolean finished;
    private volatile Abort abort = Abort.NONE;
    private ErrorInfo abortError;
    private Instant startedAt;
    private ScheduledFuture<?> executionTimeout;
    /** The final execution with its node runs, once the run has ended. */
    private volatile Execution outcome;

    /**
     * @param base     the execution as persisted (fresh: all nodes pending; resumed: what was stored)
     * @param deferred     per node id, the config fields its type evaluates itself
     * @param firstArrival ids of the nodes that start on their first delivered input
     */
    public ExecutionRun(Host host, JexlExpressions expressions, WorkflowDefinition definition, Map<String, NodePorts> ports,
                        Map<String, Set<String>> deferred, Set<String> firstArrival, Execution base) {
        this.host = host;
        this.expressions = expressions;
        this.resolver = new ConfigResolver(expressions);
        this.definition = definition;
        this.ports = ports;
        this.deferred = deferred;
        this.firstArrival = firstArrival;
        this.base = base;
        this.permits = new Semaphore(definition.settings().maxParallelism());
        this.largeValues = host.largeValues() == null ? null : host.largeValues().session();
        Map<String, NodeRun> stored = new HashMap<>();
        base.nodes().forEach(run -> stored.put(run.nodeId(), run));
        for (NodeSpec spec : definition.nodes()) {
            NodeState state = new NodeState(spec);
            NodeRun previous = stored.get(spec.id());
            if (previous != null) {
                restore(state, previous);
            }
            state.values = largeValues;
            states.put(spec.id(), state);
        }
        this.events = RunEvents.open(host.eventHub(), base, this::nodeRuns);
        states.values().forEach(state -> state.events = events);
        ObjectNode execution = JsonNodeFactory.instance.objectNode();
        execution.put("id", base.id());
        execution.put("workflowId", base.workflowId());
        execution.put("workflowVersion", base.workflowVersion());
        // The settings of the version this run uses, for nodes that read them (the Python adapter):
        // the stored workflow may have changed since the run started.
        execution.putObject("settings").set("python", definition.settings().python());
        ObjectNode trigger = JsonNodeFactory.instance.objectNode();
        trigger.put("type", base.trigger());
        variables.put("input", JexlExpressions.view(base.input()));
        variables.put("execution", JexlExpressions.view(execution));
        variables.put("trigger", JexlExpressions.view(trigger));
        variables.put("vars", JexlExpressions.view(definition.settings().vars()));
        variables.put("nodes", new NodesView(states));
    }

    /** A stored node run that ended keeps its result; one that was running runs again with attempt + 1. */
    private static void restore(NodeState state, NodeRun previous) {
        state.attempts = previous.attempts();
        state.logs.addAll(previous.logs());
        if (previous.status() == NodeRunStatus.WAITING) {
            // A waiting node keeps waiting: it is not run again, its request and inputs are kept.
            state.status = NodeRunStatus.WAITING;
            state.startedAt = previous.startedAt();
            state.outputs = previous.outputs();
            state.wait = WaitInfo.fromOutputs(previous.outputs());
            if (previous.inputs() != null) {
                state.inputs.setAll(previous.inputs());
            }
        } else if (previous.status() == NodeRunStatus.RUNNING) {
            state.interrupted = true;
        } else if (previous.status().isFinal()) {
            state.status = previous.status();
            state.cached = previous.cached();
            state.startedAt = previous.startedAt();
            state.finishedAt = previous.finishedAt();
            state.outputs = previous.outputs();
            state.error = previous.error();
            if (previous.inputs() != null) {
                state.inputs.setAll(previous.inputs());
            }
        }
    }

    public String id() {
        return base.id();
    }

    public java.time.Instant createdAt() {
        return base.createdAt();
    }

    /** How the run was started: {@code manual}, {@code parent:<executionId>/<nodeId>}, ... */
    public String trigger() {
        return base.trigger();
    }

    public String workflowId() {
        return base.workflowId();
    }

    /** The workflow as this run runs it. */
    public WorkflowDefinition definition() {
        return definition;
    }

    /** Starts (or resumes) the run; returns at once, the nodes run on their own threads. */
    public void start() {
        start(false);
    }

    /**
     * Starts the run like {@link #start}, but runs on the caller's thread a ready node that does not
     * block, and after it the chain of nodes it makes ready, as long as the next one does not block
     * either; the others run on their own threads. Returns once there is nothing more this thread
     * may run.
     *
     * @return the final execution (written) if the run has ended by then, else null
     */
    public Execution startOnCaller() {
        start(true);
        return outcome;
    }

    private void start(boolean onCaller) {
        startedAt = base.startedAt() != null ? base.startedAt() : Timestamps.now();
        recordedWaiting = base.status() == ExecutionStatus.WAITING;
        if (base.status() != ExecutionStatus.RUNNING && base.status() != ExecutionStatus.WAITING) {
            host.repository().updateExecution(record(ExecutionStatus.RUNNING, null, null, null));
            events.execution(record(ExecutionStatus.RUNNING, null, null, null));
        }
        Long timeoutMs = definition.settings().timeoutMs();
        if (timeoutMs != null) {
            long remaining = Math.max(0, startedAt.toEpochMilli() + timeoutMs - System.currentTimeMillis());
            executionTimeout = host.timers().schedule(() -> abort(Abort.TIMEOUT, new ErrorInfo(
                    "the execution timed out after " + timeoutMs / 1000.0 + " s", "timeout", "execution.timeout", null, null)),
                    remaining, TimeUnit.MILLISECONDS);
        }
        List<NodeState> ready = new ArrayList<>();
        lock.lock();
        try {
            for (NodeState state : states.values()) {
                if (state.status == NodeRunStatus.PENDING) {
                    state.unresolved = definition.incoming(state.spec.id()).size();
                    if (state.unresolved == 0) {
                        ready.add(state);
                    }
                } else if (state.status == NodeRunStatus.WAITING) {
                    waiting++;
                    scheduleWaitTimeout(state);
                } else {
                    finalCount++;
                }
            }
            for (NodeState state : states.values()) {
                if (state.status.isFinal()) {
                    afterFinal(state, ready, false);
                }
            }
            active += ready.size();
            if (active > 0 && recordedWaiting) {
                recordedWaiting = false;
                host.repository().updateExecution(record(ExecutionStatus.RUNNING, null, null, null));
                events.execution(record(ExecutionStatus.RUNNING, null, null, null));
            }
        } finally {
            lock.unlock();
        }
        NodeState mine = onCaller ? takeNonBlocking(ready) : null;
        ready.forEach(this::spawn);
        if (mine != null) {
            work(mine, true);
        } else {
            finishIfDone();
        }
    }

    /** Runs {@code state} and what it makes ready on a virtual thread of its own. */
    private void spawn(NodeState state) {
        onOwnThread(state, () -> work(state, false));
    }

    /** Starts {@code task} on a virtual thread named after the run and {@code state}'s node. */
    private void onOwnThread(NodeState state, Runnable task) {
        Thread.ofVirtual().name("qflow-" + base.id() + "-" + state.spec.id()).start(task);
    }

    /** Removes and returns the first of {@code ready} whose node does not block, or null. */
    private NodeState takeNonBlocking(List<NodeState> ready) {
        for (java.util.Iterator<NodeState> it = ready.iterator(); it.hasNext(); ) {
            NodeState state = it.next();
            if (nonBlocking(state)) {
                it.remove();
                return state;
            }
        }
        return null;
    }

    /**
     * Whether the node may run on a caller's thread: its type is there now and says the node does not
     * block, and it has a single attempt (a retry sleeps between attempts). Plugin code: a type that
     * throws here counts as blocking.
     */
    private boolean nonBlocking(NodeState state) {
        NodeSpec spec = state.spec;
        if (spec.retry().maxAttempts() > 1 || state.status != NodeRunStatus.PENDING) {
            return false;
        }
        NodeType type = host.nodeTypeNow(spec.type());
        try {
            return type != null && type.nonBlocking(spec.config());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Cancels the run: running nodes are interrupted and recorded as cancelled. */
    public void cancel() {
        abort(Abort.CANCEL, new ErrorInfo("the execution was cancelled", "cancelled", "execution.cancelled", null, null));
    }

    /** Interrupts running nodes without recording anything: the engine is stopping. */
    public void interruptForShutdown() {
        lock.lock();
        try {
            states.values().forEach(NodeState::interrupt);
        } finally {
            lock.unlock();
        }
    }

    private void abort(Abort reason, ErrorInfo error) {
        lock.lock();
        try {
            if (abort != Abort.NONE || finished) {
                return;
            }
            abortError = error;
            abort = reason;
            states.values().forEach(NodeState::interrupt);
        } finally {
            lock.unlock();
        }
        finishIfDone();
    }

    /**
     * Runs a node, then keeps going with one node it made ready.
     *
     * @param onCaller on a caller's thread: takes only nodes that do not block, and does not wait for
     *                 a free slot of the workflow's parallelism (those go to threads of their own)
     */
    private void work(NodeState first, boolean onCaller) {
        NodeState next = first;
        boolean permit = false;
        try {
            while (next != null) {
                if (!permit) {
                    if (!onCaller) {
                        permits.acquire();
                    } else if (!permits.tryAcquire()) {
                        spawn(next); // the caller does not wait for a slot
                        return;
                    }
                    permit = true;
                }
                NodeState current = next;
                if (!execute(current)) {
                    return; // shutting down: leave the node to be resumed
                }
                next = current.status == NodeRunStatus.WAITING ? park(current) : complete(current, onCaller);
            }
        } catch (InterruptedException e) {
            // Interrupted while waiting for a permit: the run is being aborted or the engine stops.
            if (!host.shuttingDown()) {
                lock.lock();
                try {
                    active--;
                    markNeverStarted(next);
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            if (permit) {
                permits.release();
            }
        }
        finishIfDone();
    }

    private void markNeverStarted(NodeState state) {
        if (state != null && state.status == NodeRunStatus.PENDING) {
            state.status = NodeRunStatus.SKIPPED;
            state.finishedAt = Timestamps.now();
            finalCount++;
            host.repository().saveNodeRun(base.id(), state.snapshot());
            events.node(state);
        }
    }

    /**
     * Runs all attempts of one node and records its final state.
     *
     * @return false if the engine is shutting down and the node was left unfinished
     */
    private boolean execute(NodeState state) {
        NodeSpec spec = state.spec;
        if (abort != Abort.NONE) {
            state.status = NodeRunStatus.SKIPPED;
            state.finishedAt = Timestamps.now();
            host.repository().saveNodeRun(base.id(), state.snapshot());
            events.node(state);
            return true;
        }
        NodeType type;
        try {
            type = host.nodeType(spec.type());
        } catch (InterruptedException e) {
            return handleInterruptBeforeStart(state);
        }
        if (type == null) {
            state.status = NodeRunStatus.FAILED;
            state.error = new ErrorInfo("node type '" + spec.type() + "' is not available: its plugin was removed or failed",
                    "unavailable", "node.type.unavailable", null, null);
            state.finishedAt = Timestamps.now();
            host.repository().saveNodeRun(base.id(), state.snapshot());
            events.node(state);
            return true;
        }
        String cacheKey = spec.cacheTtlSeconds() == null ? null : cacheKey(state, type);
        if (cacheKey != null && servedFromCache(state, cacheKey)) {
            return true;
        }
        RetryPolicy retry = spec.retry();
        while (true) {
            state.attempts++;
            state.status = NodeRunStatus.RUNNING;
            state.startedAt = Timestamps.now();
            state.finishedAt = null;
            state.error = null;
            state.timedOut = false;
            host.repository().saveNodeRun(base.id(), state.snapshot());
            events.node(state);
            Throwable failure = null;
            NodeResult result = null;
            ScheduledFuture<?> timeout = null;
            state.attach();
            if (abort != Abort.NONE) {
                Thread.currentThread().interrupt(); // an abort that raced with the start
            }
            if (spec.timeoutMs() != null) {
                timeout = host.timers().schedule(() -> {
                    state.timedOut = true;
                    state.interrupt();
                }, spec.timeoutMs(), TimeUnit.MILLISECONDS);
            }
            try {
                ObjectNode config = spec.configTemplated()
                        ? resolver.resolve(spec.config(), deferred.getOrDefault(spec.id(), Set.of()), variablesFor(state))
                        : spec.config();
                RunNodeContext context = new RunNodeContext(base.id(), state, state.attempts, config, () -> variablesFor(state),
                        expressions, () -> abort != Abort.NONE)
                        .withSubWorkflows((childWorkflow, childInput, childTimeout, caller) ->
                                host.runWorkflow(this, spec.id(), childWorkflow, childInput, childTimeout, caller));
                result = type.execute(context);
                if (result == null) {
                    result = NodeResult.empty();
                }
            } catch (Throwable t) {
                // Whatever a plugin throws (even an Error such as NoClassDefFoundError after an
                // update) fails this node only; the platform and the other nodes go on.
                failure = t;
            } finally {
                if (timeout != null) {
                    timeout.cancel(false);
                }
            }
            boolean interrupted = state.detach();
            if (host.shuttingDown() && (interrupted || isInterruption(failure))) {
                return false;
            }
            if (failure == null && result != null && result.waitRequest().isPresent()
                    && !state.timedOut && abort == Abort.NONE) {
                state.wait = WaitInfo.of(result.waitRequest().get(), Timestamps.now());
                state.outputs = state.wait.toOutputs();
                state.status = NodeRunStatus.WAITING;
                state.log("info", "waiting for a decision: one of " + state.wait.decisions()
                        + (state.wait.deadline() == null ? "" : ", until " + state.wait.deadline()));
                host.repository().saveNodeRun(base.id(), state.snapshot());
                events.node(state);
                return true;
            }
            if (failure == null && result != null) {
                failure = undeclaredPort(state, result);
            }
            if (failure == null && !state.timedOut && abort == Abort.NONE) {
                state.outputs = outputsOf(result);
                state.status = NodeRunStatus.SUCCEEDED;
                state.finishedAt = Timestamps.now();
                host.repository().saveNodeRun(base.id(), state.snapshot());
                events.node(state);
                if (cacheKey != null) {
                    try {
                        host.nodeResultCache().put(cacheKey, state.outputs, java.time.Duration.ofSeconds(spec.cacheTtlSeconds()));
                    } catch (RuntimeException e) {
                        state.log("warn", "could not store the result in the node cache: " + e);
                    }
                }
                return true;
            }
            boolean retryable;
            if (abort != Abort.NONE) {
                state.status = abort == Abort.TIMEOUT ? NodeRunStatus.TIMED_OUT : NodeRunStatus.CANCELLED;
                state.error = abortError == null ? ErrorInfo.of("aborted") : abortError;
                retryable = false;
            } else if (state.timedOut) {
                state.status = NodeRunStatus.TIMED_OUT;
                state.error = new ErrorInfo("node '" + spec.id() + "' timed out after " + spec.timeoutMs() / 1000.0 + " s",
                        "timeout", "node.timeout", null, null);
                retryable = true;
            } else {
                state.status = NodeRunStatus.FAILED;
                state.error = errorOf(failure);
                retryable = isRetryable(failure);
            }
            if (retryable && state.attempts < retry.maxAttempts()) {
                long delay = retry.delayBefore(state.attempts + 1);
                state.log("warn", "attempt " + state.attempts + " failed: " + state.error.message() + "; retrying in " + delay + " ms");
                host.repository().saveNodeRun(base.id(), state.snapshot());
                events.node(state);
                state.attach();
                try {
                    if (abort == Abort.NONE) {
                        Thread.sleep(delay);
                        state.detach();
                        continue;
                    }
                } catch (InterruptedException e) {
                    // cancelled or aborted while waiting to retry
                }
                state.detach();
                if (host.shuttingDown()) {
                    return false;
                }
                state.status = abort == Abort.TIMEOUT ? NodeRunStatus.TIMED_OUT : NodeRunStatus.CANCELLED;
                state.error = abortError == null ? ErrorInfo.of("cancelled while waiting to retry") : abortError;
            }
            state.finishedAt = Timestamps.now();
            host.repository().saveNodeRun(base.id(), state.snapshot());
            events.node(state);
            return true;
        }
    }

    /**
     * The node's cache key (type, descriptor version, resolved config, inputs), or null when there is
     * no cache or the config cannot be resolved now (the node then runs and reports that itself).
     */
    private String cacheKey(NodeState state, NodeType type) {
        if (host.nodeResultCache() == null) {
            return null;
        }
        NodeSpec spec = state.spec;
        try {
            ObjectNode config = spec.configTemplated()
                    ? resolver.resolve(spec.config(), deferred.getOrDefault(spec.id(), Set.of()), variablesFor(state))
                    : spec.config();
            return io.qflow.engine.internal.cache.CacheKeys.key(spec.type(), type.descriptor().version(), config, state.inputs);
        } catch (io.qflow.engine.ExpressionException | RuntimeException e) {
            return null;
        }
    }

    /** On a cache hit the node is not run: it succeeds with the stored outputs and is marked as served from cache. */
    private boolean servedFromCache(NodeState state, String key) {
        java.util.Optional<ObjectNode> hit;
        try {
            hit = host.nodeResultCache().get(key);
        } catch (RuntimeException e) {
            state.log("warn", "node cache lookup failed, running the node: " + e);
            return false;
        }
        if (hit.isEmpty()) {
            return false;
        }
        state.outputs = hit.get().deepCopy();
        state.cached = true;
        state.status = NodeRunStatus.SUCCEEDED;
        state.startedAt = Timestamps.now();
        state.finishedAt = state.startedAt;
        state.log("info", "served from cache (key " + key.substring(0, 12) + ")");
        host.repository().saveNodeRun(base.id(), state.snapshot());
        events.node(state);
        return true;
    }

    /** The node now waits for a decision: it gives its thread back and nothing more happens until one comes. */
    private NodeState park(NodeState state) {
        lock.lock();
        try {
            active--;
            waiting++;
            scheduleWaitTimeout(state);
        } finally {
            lock.unlock();
        }
        return null;
    }

    /** Under the lock (or before start): arms the timer that ends the wait when its deadline passes. */
    private void scheduleWaitTimeout(NodeState state) {
        if (state.wait == null || state.wait.deadline() == null) {
            return;
        }
        long delay = Math.max(0, state.wait.deadline().toEpochMilli() - System.currentTimeMillis());
        String nodeId = state.spec.id();
        state.waitTimer = host.timers().schedule(
                () -> Thread.ofVirtual().name("qflow-" + base.id() + "-" + nodeId + "-timeout").start(() -> waitTimedOut(nodeId)),
                delay, TimeUnit.MILLISECONDS);
    }

    private void waitTimedOut(String nodeId) {
        NodeState state = states.get(nodeId);
        String defaultDecision = state.wait == null ? null : state.wait.defaultDecision();
        try {
            if (defaultDecision != null) {
                decide(nodeId, new Decision(defaultDecision, null, true));
                return;
            }
            lock.lock();
            try {
                if (state.status != NodeRunStatus.WAITING || state.deciding || finished || abort != Abort.NONE) {
                    return;
                }
                state.deciding = true;
            } finally {
                lock.unlock();
            }
            state.status = NodeRunStatus.TIMED_OUT;
            state.error = new ErrorInfo("node '" + nodeId + "' got no decision before its deadline " + state.wait.deadline(),
                    "timeout", "node.wait.timeout", null, null);
            finishWait(state);
        } catch (ConflictException | ValidationException e) {
            // Decided (or cancelled) just before the deadline: nothing left to do.
        }
    }

    /**
     * Finishes a waiting node with a decision: calls its type again with the decision, records the
     * result and lets what depends on it run. Refused decisions change nothing.
     *
     * @throws ConflictException   when the node is not waiting (any more), or the run is ending
     * @throws ValidationException when the node is unknown, the decision is not one it offers, or the
     *                             node refuses the data ({@link DecisionException})
     */
    public void decide(String nodeId, Decision decision) throws ConflictException, ValidationException {
        NodeState state = states.get(nodeId);
        if (state == null) {
            throw new ValidationException("no such node", List.of(new Problem("resume.node.unknown",
                    "the workflow has no node '" + nodeId + "'", nodeId, null, "/node")));
        }
        lock.lock();
        try {
            if (state.status != NodeRunStatus.WAITING || state.deciding || finished || abort != Abort.NONE) {
                throw new ConflictException("node '" + nodeId + "' of execution '" + base.id() + "' is not waiting for a decision ("
                        + (state.deciding ? "a decision is being applied" : state.status.json()) + ")");
            }
            if (!state.wait.decisions().contains(decision.decision())) {
                throw new ValidationException("unknown decision", List.of(new Problem("resume.decision.unknown",
                        "node '" + nodeId + "' takes one of the decisions " + state.wait.decisions() + ", not '"
                                + decision.decision() + "'", nodeId, null, "/decision")));
            }
            state.deciding = true;
        } finally {
            lock.unlock();
        }
        NodeResult result = null;
        Throwable failure = null;
        try {
            NodeType type = host.nodeType(state.spec.type());
            if (type == null) {
                throw new ConflictException("node type '" + state.spec.type() + "' is not available: its plugin was removed or failed");
            }
            ObjectNode config = state.spec.configTemplated()
                    ? resolver.resolve(state.spec.config(), deferred.getOrDefault(nodeId, Set.of()), variablesFor(state))
                    : state.spec.config();
            RunNodeContext context = new RunNodeContext(base.id(), state, state.attempts, config, () -> variablesFor(state),
                    expressions, () -> abort != Abort.NONE).withDecision(decision)
                    .withSubWorkflows((childWorkflow, childInput, childTimeout, caller) ->
                            host.runWorkflow(this, nodeId, childWorkflow, childInput, childTimeout, caller));
            result = type.execute(context);
            if (result == null) {
                result = NodeResult.empty();
            } else if (result.waitRequest().isPresent()) {
                throw new IllegalStateException("node type '" + state.spec.type() + "' returned waiting again when given a decision");
            }
            NodeException undeclared = undeclaredPort(state, result);
            if (undeclared != null) {
                throw undeclared;
            }
        } catch (DecisionException refused) {
            release(state);
            throw new ValidationException(refused.getMessage(), List.of(new Problem("resume.data.invalid", refused.getMessage(),
                    nodeId, null, refused.field())));
        } catch (ConflictException unavailable) {
            release(state);
            throw unavailable;
        } catch (InterruptedException e) {
            release(state);
            Thread.currentThread().interrupt();
            throw new ConflictException("interrupted while applying the decision; try again");
        } catch (Throwable t) {
            failure = t; // the node fails, as a failing execute does
        }
        state.log("info", "decision '" + decision.decision() + "'" + (decision.byTimeout() ? " (default, the wait timed out)" : ""));
        if (failure == null) {
            state.outputs = outputsOf(result);
            state.status = NodeRunStatus.SUCCEEDED;
        } else {
            state.status = NodeRunStatus.FAILED;
            state.error = errorOf(failure);
        }
        finishWait(state);
    }

    private void release(NodeState state) {
        lock.lock();
        try {
            state.deciding = false;
        } finally {
            lock.unlock();
        }
    }

    /** A waiting node reached its final status: persist it and carry on on a fresh thread. */
    private void finishWait(NodeState state) {
        state.finishedAt = Timestamps.now();
        state.wait = null;
        lock.lock();
        try {
            state.deciding = false;
            if (state.waitTimer != null) {
                state.waitTimer.cancel(false);
                state.waitTimer = null;
            }
            host.repository().saveNodeRun(base.id(), state.snapshot());
            events.node(state);
            waiting--;
            active++;
            if (recordedWaiting) {
                recordedWaiting = false;
                host.repository().updateExecution(record(ExecutionStatus.RUNNING, null, null, null));
                events.execution(record(ExecutionStatus.RUNNING, null, null, null));
            }
        } finally {
            lock.unlock();
        }
        onOwnThread(state, () -> work(complete(state, false), false));
    }

    private boolean handleInterruptBeforeStart(NodeState state) {
        if (host.shuttingDown()) {
            return false;
        }
        state.status = NodeRunStatus.SKIPPED;
        state.finishedAt = Timestamps.now();
        host.repository().saveNodeRun(base.id(), state.snapshot());
        events.node(state);
        return true;
    }

    private static boolean isInterruption(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof CancellationException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRetryable(Throwable failure) {
        if (failure instanceof NodeException node) {
            return node.retryable();
        }
        return failure instanceof IOException || failure instanceof UncheckedIOException || failure instanceof TimeoutException;
    }

    private static ErrorInfo errorOf(Throwable failure) {
        java.util.Optional<io.qflow.engine.internal.credentials.CredentialException> credential =
                io.qflow.engine.internal.credentials.CredentialException.in(failure);
        if (credential.isPresent()) {
            // Recorded without the expression's stack: the message names the credential, nothing else.
            return new ErrorInfo(credential.get().getMessage(), credential.get().getClass().getSimpleName(), credential.get().code(),
                    null, null);
        }
        if (failure instanceof NodeException node) {
            return ErrorInfo.from(node, node.code());
        }
        if (failure instanceof ExpressionException) {
            return ErrorInfo.from(failure, "expression");
        }
        return ErrorInfo.from(failure, null);
    }

    /** A node emitting on a port it did not declare is a plugin bug: fail it, as the SDK test kit does. */
    private NodeException undeclaredPort(NodeState state, NodeResult result) {
        NodePorts declared = ports.get(state.spec.id());
        if (declared == null) {
            return null;
        }
        // A node has a few output ports: a look through the list is cheaper than a set made per run.
        for (String port : result.outputs().keySet()) {
            if (declared.outputs().stream().noneMatch(spec -> spec.name().equals(port))) {
                return new NodeException("node.port.undeclared", "node type '" + state.spec.type() + "' emitted on port '" + port
                        + "', which it does not declare (declared: " + declared.outputs().stream().map(PortSpec::name).toList() + ")");
            }
        }
        return null;
    }

    private static ObjectNode outputsOf(NodeResult result) {
        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        result.outputs().forEach(outputs::set);
        return outputs;
    }

    private Map<String, Object> variablesFor(NodeState state) {
        Map<String, Object> vars = new HashMap<>(variables);
        JsonNode in = state.inputs.get("in");
        vars.put("in", in == null ? null : JexlExpressions.view(largeValues == null ? in : largeValues.resolved(in)));
        vars.put("inputs", JexlExpressions.view(largeValues == null ? state.inputs : largeValues.resolved(state.inputs)));
        // One view per resolution: it decrypts only the credentials this config names, and keeps them no longer.
        vars.put("secrets", new io.qflow.engine.internal.credentials.SecretsView(host.credentials()));
        return vars;
    }

    /**
     * Records a node's end and hands out what became ready; returns one ready node for this thread
     * (on a caller's thread: one that does not block, if any).
     */
    private NodeState complete(NodeState state, boolean onCaller) {
        List<NodeState> ready = new ArrayList<>();
        lock.lock();
        try {
            active--;
            finalCount++;
            afterFinal(state, ready, true);
            active += ready.size();
        } finally {
            lock.unlock();
        }
        NodeState mine = onCaller ? takeNonBlocking(ready) : ready.isEmpty() ? null : ready.remove(0);
        ready.forEach(this::spawn);
        return mine;
    }

    /** Under the lock: reacts to a node having reached a final status. */
    private void afterFinal(NodeState state, List<NodeState> ready, boolean live) {
        boolean failedHard = (state.status == NodeRunStatus.FAILED || state.status == NodeRunStatus.TIMED_OUT)
                && state.spec.onError() == OnError.FAIL;
        if (failedHard && abort == Abort.NONE) {
            abortError = state.error == null ? ErrorInfo.of("node '" + state.spec.id() + "' failed")
                    : state.error.withNode(state.spec.id());
            abort = Abort.FAILURE;
            for (NodeState other : states.values()) {
                if (other != state) {
                    other.interrupt();
                }
            }
        }
        ObjectNode emitted = null;
        if (state.status == NodeRunStatus.SUCCEEDED) {
            emitted = state.outputs;
        } else if ((state.status == NodeRunStatus.FAILED || state.status == NodeRunStatus.TIMED_OUT)
                && state.spec.onError() == OnError.CONTINUE && abort == Abort.NONE) {
            if (live || state.outputs == null) {
                ObjectNode error = JsonNodeFactory.instance.objectNode();
                error.put("message", state.error.message());
                error.put("type", state.error.type());
                error.put("code", state.error.code());
                error.put("stack", state.error.stack());
                ObjectNode outputs = JsonNodeFactory.instance.objectNode();
                outputs.set("error", error);
                state.outputs = outputs;
                if (live) {
                    host.repository().saveNodeRun(base.id(), state.snapshot());
                }
            }
            emitted = state.outputs;
        }
        for (Connection c : definition.outgoing(state.spec.id())) {
            NodeState target = states.get(c.toNode());
            JsonNode value = emitted == null ? null : emitted.get(c.fromPort());
            if (target.startedEarly) {
                if (value != null && live) {
                    ignoreLateArrival(target, c);
                }
                continue;
            }
            if (target.status != NodeRunStatus.PENDING) {
                continue;
            }
            if (value != null) {
                target.deliver(c.toPort(), value);
                target.delivered++;
                if (firstArrival.contains(target.spec.id()) && abort == Abort.NONE && !missesRequiredInput(target)) {
                    // first arrival: it starts now; what arrives later is ignored
                    target.startedEarly = true;
                    target.log("info", "started on the first arrival, from " + c.fromNode() + "." + c.fromPort() + " on " + c.toPort());
                    ready.add(target);
                    continue;
                }
            }
            target.unresolved--;
            if (target.unresolved == 0 && abort == Abort.NONE) {
                if (target.delivered == 0 || missesRequiredInput(target)) {
                    target.status = NodeRunStatus.SKIPPED;
                    target.finishedAt = Timestamps.now();
                    finalCount++;
                    host.repository().saveNodeRun(base.id(), target.snapshot());
                    events.node(target);
                    afterFinal(target, ready, live);
                } else {
                    ready.add(target);
                }
            }
        }
    }

    /** Under the lock: a value reached a first-arrival node after it started; it is only noted. */
    private void ignoreLateArrival(NodeState target, Connection c) {
        target.log("info", "ignored a later arrival from " + c.fromNode() + "." + c.fromPort() + " on " + c.toPort()
                + ": the node started on the first one");
        if (target.status.isFinal()) {
            host.repository().saveNodeRun(base.id(), target.snapshot());
        }
    }

    private boolean missesRequiredInput(NodeState state) {
        NodePorts nodePorts = ports.get(state.spec.id());
        if (nodePorts == null) {
            return false;
        }
        for (PortSpec input : nodePorts.inputs()) {
            if (input.required() && !state.inputs.has(input.name())) {
                return true;
            }
        }
        return false;
    }

    private void finishIfDone() {
        Execution done;
        lock.lock();
        try {
            if (finished || active > 0 || host.shuttingDown()) {
                return;
            }
            if (abort == Abort.NONE && finalCount < states.size()) {
                if (waiting > 0 && !recordedWaiting) { // nothing runs; what is left hangs on waiting nodes
                    recordedWaiting = true;
                    host.repository().updateExecution(record(ExecutionStatus.WAITING, null, null, null));
                    events.execution(record(ExecutionStatus.WAITING, null, null, null));
                    host.waiting(this);
                }
                return;
            }
            if (waiting > 0 && states.values().stream().anyMatch(s -> s.deciding)) {
                return; // a decision is being applied: it finishes the run when it completes
            }
            finished = true;
            for (NodeState state : states.values()) {
                if (state.status == NodeRunStatus.PENDING) {
                    state.status = NodeRunStatus.SKIPPED;
                    state.finishedAt = Timestamps.now();
                    host.repository().saveNodeRun(base.id(), state.snapshot());
                    events.node(state);
                } else if (state.status == NodeRunStatus.WAITING) {
                    if (state.waitTimer != null) {
                        state.waitTimer.cancel(false);
                    }
                    state.status = abort == Abort.TIMEOUT ? NodeRunStatus.TIMED_OUT : NodeRunStatus.CANCELLED;
                    state.error = abortError == null ? ErrorInfo.of("aborted while waiting") : abortError;
                    state.finishedAt = Timestamps.now();
                    host.repository().saveNodeRun(base.id(), state.snapshot());
                    events.node(state);
                }
            }
            ExecutionStatus status = switch (abort) {
                case NONE -> ExecutionStatus.SUCCEEDED;
                case CANCEL -> ExecutionStatus.CANCELLED;
                case FAILURE, TIMEOUT -> ExecutionStatus.FAILED;
            };
            done = record(status, Timestamps.now(), sinkOutputs(), abort == Abort.NONE ? null : abortError);
        } finally {
            lock.unlock();
        }
        if (executionTimeout != null) {
            executionTimeout.cancel(false);
        }
        host.repository().updateExecution(done);
        events.execution(done);
        outcome = withNodes(done);
        host.finished(this, outcome);
    }

    private ObjectNode sinkOutputs() {
        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        for (NodeState state : states.values()) {
            if (definition.outgoing(state.spec.id()).isEmpty() && state.outputs != null
                    && (state.status == NodeRunStatus.SUCCEEDED || state.status == NodeRunStatus.FAILED)) {
                outputs.set(state.spec.id(), largeValues == null ? state.outputs : largeValues.recorded(state.outputs));
            }
        }
        return outputs;
    }

    private Execution record(ExecutionStatus status, Instant finishedAt, ObjectNode outputs, ErrorInfo error) {
        return new Execution(base.id(), base.workflowId(), base.workflowVersion(), status, base.trigger(), base.input(),
                base.createdAt(), startedAt, finishedAt, outputs, error, List.of());
    }

    /** Every node's run as it is now (for a subscriber's snapshot). */
    private List<NodeRun> nodeRuns() {
        List<NodeRun> nodes = new ArrayList<>(states.size());
        states.values().forEach(s -> nodes.add(s.snapshot()));
        return nodes;
    }

    private Execution withNodes(Execution execution) {
        List<NodeRun> nodes = new ArrayList<>(states.size());
        states.values().forEach(s -> nodes.add(s.snapshot()));
        return new Execution(execution.id(), execution.workflowId(), execution.workflowVersion(), execution.status(),
                execution.trigger(), execution.input(), execution.createdAt(), execution.startedAt(), execution.finishedAt(),
                execution.outputs(), execution.error(), nodes);
    }
}

package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.ExpressionException;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.internal.expression.JexlExpressions;
import io.qflow.engine.internal.model.Connection;
import io.qflow.engine.internal.model.NodeSpec;
import io.qflow.engine.internal.model.OnError;
import io.qflow.engine.internal.model.RetryPolicy;
import io.qflow.engine.internal.model.WorkflowDefinition;
import io.qflow.engine.spi.ExecutionRepository;
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
 */
public final class ExecutionRun {

    /** What a run needs from the engine that owns it. */
    public interface Host {
        /** The node type to run now, waiting briefly if its plugin is being replaced; null if it stays gone. */
        NodeType nodeType(String type) throws InterruptedException;

        ExecutionRepository repository();

        ScheduledExecutorService timers();

        /** Called once, after the final state is persisted. */
        void finished(ExecutionRun run, Execution execution);

        /** True while the engine stops: interrupted nodes are left to be resumed at the next start. */
        boolean shuttingDown();
    }

    private enum Abort { NONE, FAILURE, CANCEL, TIMEOUT }

    private final Host host;
    private final JexlExpressions expressions;
    private final ConfigResolver resolver;
    private final WorkflowDefinition definition;
    private final Map<String, NodePorts> ports;
    private final Map<String, Set<String>> deferred;
    private final Map<String, Set<String>> outputNames = new HashMap<>();
    private final Execution base;
    private final Map<String, NodeState> states = new LinkedHashMap<>();
    private final Map<String, Object> variables = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Semaphore permits;
    private int finalCount;
    private int active;
    private boolean finished;
    private volatile Abort abort = Abort.NONE;
    private ErrorInfo abortError;
    private Instant startedAt;
    private ScheduledFuture<?> executionTimeout;

    /**
     * @param base     the execution as persisted (fresh: all nodes pending; resumed: what was stored)
     * @param deferred per node id, the config fields its type evaluates itself
     */
    public ExecutionRun(Host host, JexlExpressions expressions, WorkflowDefinition definition, Map<String, NodePorts> ports,
                        Map<String, Set<String>> deferred, Execution base) {
        this.host = host;
        this.expressions = expressions;
        this.resolver = new ConfigResolver(expressions);
        this.definition = definition;
        this.ports = ports;
        this.deferred = deferred;
        this.base = base;
        this.permits = new Semaphore(definition.settings().maxParallelism());
        ports.forEach((node, p) -> {
            Set<String> names = new java.util.HashSet<>();
            p.outputs().forEach(port -> names.add(port.name()));
            outputNames.put(node, names);
        });
        Map<String, NodeRun> stored = new HashMap<>();
        base.nodes().forEach(run -> stored.put(run.nodeId(), run));
        for (NodeSpec spec : definition.nodes()) {
            NodeState state = new NodeState(spec);
            NodeRun previous = stored.get(spec.id());
            if (previous != null) {
                restore(state, previous);
            }
            states.put(spec.id(), state);
        }
        ObjectNode execution = JsonNodeFactory.instance.objectNode();
        execution.put("id", base.id());
        execution.put("workflowId", base.workflowId());
        execution.put("workflowVersion", base.workflowVersion());
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
        if (previous.status().isFinal()) {
            state.status = previous.status();
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

    public String workflowId() {
        return base.workflowId();
    }

    /** Starts (or resumes) the run; returns at once, the nodes run on their own threads. */
    public void start() {
        startedAt = base.startedAt() != null ? base.startedAt() : Instant.now();
        if (base.status() != ExecutionStatus.RUNNING) {
            host.repository().updateExecution(record(ExecutionStatus.RUNNING, null, null, null));
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
        } finally {
            lock.unlock();
        }
        for (NodeState state : ready) {
            Thread.ofVirtual().name("qflow-" + base.id() + "-" + state.spec.id()).start(() -> work(state));
        }
        finishIfDone();
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

    /** Runs a node, then keeps going with one node it made ready. */
    private void work(NodeState first) {
        NodeState next = first;
        boolean permit = false;
        try {
            while (next != null) {
                if (!permit) {
                    permits.acquire();
                    permit = true;
                }
                NodeState current = next;
                if (!execute(current)) {
                    return; // shutting down: leave the node to be resumed
                }
                next = complete(current);
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
            state.finishedAt = Instant.now();
            finalCount++;
            host.repository().saveNodeRun(base.id(), state.snapshot());
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
            state.finishedAt = Instant.now();
            host.repository().saveNodeRun(base.id(), state.snapshot());
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
            state.finishedAt = Instant.now();
            host.repository().saveNodeRun(base.id(), state.snapshot());
            return true;
        }
        RetryPolicy retry = spec.retry();
        while (true) {
            state.attempts++;
            state.status = NodeRunStatus.RUNNING;
            state.startedAt = Instant.now();
            state.finishedAt = null;
            state.error = null;
            state.timedOut = false;
            host.repository().saveNodeRun(base.id(), state.snapshot());
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
                        expressions, () -> abort != Abort.NONE);
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
            if (failure == null && result != null) {
                failure = undeclaredPort(state, result);
            }
            if (failure == null && !state.timedOut && abort == Abort.NONE) {
                state.outputs = outputsOf(result);
                state.status = NodeRunStatus.SUCCEEDED;
                state.finishedAt = Instant.now();
                host.repository().saveNodeRun(base.id(), state.snapshot());
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
            state.finishedAt = Instant.now();
            host.repository().saveNodeRun(base.id(), state.snapshot());
            return true;
        }
    }

    private boolean handleInterruptBeforeStart(NodeState state) {
        if (host.shuttingDown()) {
            return false;
        }
        state.status = NodeRunStatus.SKIPPED;
        state.finishedAt = Instant.now();
        host.repository().saveNodeRun(base.id(), state.snapshot());
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
        Set<String> declared = outputNames.get(state.spec.id());
        if (declared == null) {
            return null;
        }
        for (String port : result.outputs().keySet()) {
            if (!declared.contains(port)) {
                return new NodeException("node.port.undeclared", "node type '" + state.spec.type() + "' emitted on port '" + port
                        + "', which it does not declare (declared: " + declared + ")");
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
        vars.put("in", in == null ? null : JexlExpressions.view(in));
        vars.put("inputs", JexlExpressions.view(state.inputs));
        return vars;
    }

    /** Records a node's end and hands out what became ready; returns one ready node for this thread. */
    private NodeState complete(NodeState state) {
        List<NodeState> ready = new ArrayList<>();
        NodeState mine = null;
        lock.lock();
        try {
            active--;
            finalCount++;
            afterFinal(state, ready, true);
            active += ready.size();
            if (!ready.isEmpty()) {
                mine = ready.remove(0);
            }
        } finally {
            lock.unlock();
        }
        for (NodeState other : ready) {
            Thread.ofVirtual().name("qflow-" + base.id() + "-" + other.spec.id()).start(() -> work(other));
        }
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
            if (target.status != NodeRunStatus.PENDING) {
                continue;
            }
            JsonNode value = emitted == null ? null : emitted.get(c.fromPort());
            if (value != null) {
                target.deliver(c.toPort(), value);
                target.delivered++;
            }
            target.unresolved--;
            if (target.unresolved == 0 && abort == Abort.NONE) {
                if (target.delivered == 0 || missesRequiredInput(target)) {
                    target.status = NodeRunStatus.SKIPPED;
                    target.finishedAt = Instant.now();
                    finalCount++;
                    host.repository().saveNodeRun(base.id(), target.snapshot());
                    afterFinal(target, ready, live);
                } else {
                    ready.add(target);
                }
            }
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
            if (finished || active > 0 || (abort == Abort.NONE && finalCount < states.size())) {
                return;
            }
            if (host.shuttingDown()) {
                return;
            }
            finished = true;
            for (NodeState state : states.values()) {
                if (state.status == NodeRunStatus.PENDING) {
                    state.status = NodeRunStatus.SKIPPED;
                    state.finishedAt = Instant.now();
                    host.repository().saveNodeRun(base.id(), state.snapshot());
                }
            }
            ExecutionStatus status = switch (abort) {
                case NONE -> ExecutionStatus.SUCCEEDED;
                case CANCEL -> ExecutionStatus.CANCELLED;
                case FAILURE, TIMEOUT -> ExecutionStatus.FAILED;
            };
            done = record(status, Instant.now(), sinkOutputs(), abort == Abort.NONE ? null : abortError);
        } finally {
            lock.unlock();
        }
        if (executionTimeout != null) {
            executionTimeout.cancel(false);
        }
        host.repository().updateExecution(done);
        host.finished(this, withNodes(done));
    }

    private ObjectNode sinkOutputs() {
        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        for (NodeState state : states.values()) {
            if (definition.outgoing(state.spec.id()).isEmpty() && state.outputs != null
                    && (state.status == NodeRunStatus.SUCCEEDED || state.status == NodeRunStatus.FAILED)) {
                outputs.set(state.spec.id(), state.outputs);
            }
        }
        return outputs;
    }

    private Execution record(ExecutionStatus status, Instant finishedAt, ObjectNode outputs, ErrorInfo error) {
        return new Execution(base.id(), base.workflowId(), base.workflowVersion(), status, base.trigger(), base.input(),
                base.createdAt(), startedAt, finishedAt, outputs, error, List.of());
    }

    private Execution withNodes(Execution execution) {
        List<NodeRun> nodes = new ArrayList<>(states.size());
        states.values().forEach(s -> nodes.add(s.snapshot()));
        return new Execution(execution.id(), execution.workflowId(), execution.workflowVersion(), execution.status(),
                execution.trigger(), execution.input(), execution.createdAt(), execution.startedAt(), execution.finishedAt(),
                execution.outputs(), execution.error(), nodes);
    }
}

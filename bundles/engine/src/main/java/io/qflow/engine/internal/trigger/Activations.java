package io.qflow.engine.internal.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ConflictException;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.Problem;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.TriggerService;
import io.qflow.engine.TriggerStatus;
import io.qflow.engine.ValidationException;
import io.qflow.engine.WorkflowService;
import io.qflow.engine.internal.credentials.Credentials;
import io.qflow.engine.internal.credentials.TriggerSecrets;
import io.qflow.engine.spi.DocumentRepository;
import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerHandle;
import io.qflow.sdk.trigger.TriggerType;
import io.qflow.sdk.trigger.TriggeredRun;
import io.qflow.sdk.trigger.WebhookEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link TriggerService}. Activations live in the document collection {@code activations}
 * (key: workflow id), so they survive restarts; {@link #restore()} starts them again. Whenever the
 * catalogue changes a type an activated workflow uses (a plugin deployed, updated, removed) or the
 * workflow itself changes, that workflow's triggers are stopped and started again on what is there
 * now: a missing plugin leaves it inactive with the reason, its return makes it active again.
 * Config strings that are exactly {@code {{ secrets.<name>[.<field>] }}} are replaced by the
 * credential before the trigger type sees the config ({@link TriggerSecrets}); putting or deleting a
 * credential restarts the activated workflows whose trigger configs name it.
 *
 * <p>Lifecycle changes run one at a time under one lock (they are rare and {@code start} returns
 * promptly); firing never takes it.
 */
public final class Activations implements TriggerService, AutoCloseable {

    static final String COLLECTION = "activations";
    static final String STATE_COLLECTION = "trigger-state";
    static final long MAX_BACKOFF_MS = 60_000;
    private static final Logger LOG = Logger.getLogger(Activations.class.getName());

    /** The triggers of one workflow that is activated (or listening once for a test event). */
    private static final class WorkflowTriggers {
        final String workflowId;
        int version;
        String reason;
        List<TriggerNodeRun> nodes = List.of();

        WorkflowTriggers(String workflowId) {
            this.workflowId = workflowId;
        }
    }

    private final NodeCatalog catalog;
    private final WorkflowService workflows;
    private final ExecutionService executions;
    private final DocumentRepository documents;
    /** Where {@code {{ secrets.<name> }}} in trigger configs is read from; null: no credential exists. */
    private final Credentials credentials;
    private final ScheduledExecutorService timers;
    private final long initialBackoffMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, WorkflowTriggers> active = new ConcurrentHashMap<>();
    private final Map<String, WorkflowTriggers> listening = new ConcurrentHashMap<>();
    private final List<AutoCloseable> listeners = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param timers           runs restarts after backoff and reconciliations off the callers' threads
     * @param initialBackoffMs first restart delay after a failure; doubles up to a minute
     */
    public Activations(NodeCatalog catalog, WorkflowService workflows, ExecutionService executions, DocumentRepository documents,
                       ScheduledExecutorService timers, long initialBackoffMs) {
        this(catalog, workflows, executions, documents, null, timers, initialBackoffMs);
    }

    /** @param credentials what {@code {{ secrets.<name> }}} in trigger configs reads; null: none exists */
    public Activations(NodeCatalog catalog, WorkflowService workflows, ExecutionService executions, DocumentRepository documents,
                       Credentials credentials, ScheduledExecutorService timers, long initialBackoffMs) {
        this.catalog = catalog;
        this.workflows = workflows;
        this.executions = executions;
        this.documents = documents;
        this.credentials = credentials;
        this.timers = timers;
        this.initialBackoffMs = initialBackoffMs;
        listeners.add(catalog.onChange(this::typeChanged));
        listeners.add(workflows.onChange(this::workflowChanged));
        if (credentials != null) {
            listeners.add(credentials.onChange(this::credentialChanged));
        }
    }

    /** Starts every stored activation; failures are recorded on the workflows, never thrown. */
    public void restore() {
        for (DocumentRepository.Document doc : documents.list(COLLECTION)) {
            lock.lock();
            try {
                if (!closed) {
                    WorkflowTriggers triggers = active.computeIfAbsent(doc.key(), WorkflowTriggers::new);
                    reconcile(triggers);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public TriggerStatus activate(String workflowId) throws NotFoundException, ValidationException, ConflictException {
        lock.lock();
        try {
            StoredWorkflow workflow = stored(workflowId);
            WorkflowTriggers previous = stopped(active.remove(workflowId));
            WorkflowTriggers triggers = new WorkflowTriggers(workflowId);
            try {
                startStrict(triggers, workflow, false);
            } catch (ValidationException | ConflictException | RuntimeException e) {
                if (previous != null) {
                    // the activation stays stored: put the old triggers back as they were wanted
                    active.put(workflowId, previous);
                    reconcile(previous);
                }
                throw e;
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("active", true);
            body.put("activatedAt", Instant.now().toString());
            body.put("version", workflow.version());
            documents.put(COLLECTION, workflowId, body);
            active.put(workflowId, triggers);
            return status(workflow);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TriggerStatus deactivate(String workflowId) throws NotFoundException {
        lock.lock();
        try {
            StoredWorkflow workflow = workflows.get(workflowId).orElse(null);
            WorkflowTriggers triggers = active.remove(workflowId);
            if (triggers != null) {
                stopAll(triggers);
            }
            boolean stored = documents.delete(COLLECTION, workflowId);
            if (workflow == null) {
                if (triggers == null && !stored) {
                    throw new NotFoundException("no workflow with id '" + workflowId + "'");
                }
                return new TriggerStatus(workflowId, false, false, "the workflow was deleted", List.of());
            }
            return status(workflow);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TriggerStatus status(String workflowId) throws NotFoundException {
        StoredWorkflow workflow = stored(workflowId);
        // Under the lock: a reconcile stops the old triggers before it records why they are not
        // running; a reader in between would report that passing "stopped" as the reason.
        lock.lock();
        try {
            return status(workflow);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<TriggerStatus> activations() {
        List<TriggerStatus> all = new ArrayList<>();
        lock.lock();
        try {
            for (DocumentRepository.Document doc : documents.list(COLLECTION)) {
                workflows.get(doc.key()).ifPresent(w -> all.add(status(w)));
            }
        } finally {
            lock.unlock();
        }
        return all;
    }

    @Override
    public TriggerStatus listenOnce(String workflowId, Duration timeout) throws NotFoundException, ValidationException, ConflictException {
        lock.lock();
        try {
            StoredWorkflow workflow = stored(workflowId);
            stopped(listening.remove(workflowId));
            WorkflowTriggers triggers = new WorkflowTriggers(workflowId);
            startStrict(triggers, workflow, true);
            listening.put(workflowId, triggers);
            timers.schedule(() -> stopListening(triggers), timeout.toMillis(), TimeUnit.MILLISECONDS);
            return status(workflow);
        } finally {
            lock.unlock();
        }
    }

    private void stopListening(WorkflowTriggers triggers) {
        lock.lock();
        try {
            if (listening.remove(triggers.workflowId, triggers)) {
                stopAll(triggers);
            }
        } finally {
            lock.unlock();
        }
    }

    private TriggerStatus status(StoredWorkflow workflow) {
        WorkflowTriggers triggers = active.get(workflow.id());
        boolean requested = triggers != null || documents.find(COLLECTION, workflow.id()).isPresent();
        List<TriggerStatus.Trigger> nodes = new ArrayList<>();
        // an inactive workflow listening for a test event shows its test triggers (their url)
        WorkflowTriggers shown = triggers != null ? triggers : listening.get(workflow.id());
        if (shown != null && shown.version == workflow.version() && !shown.nodes.isEmpty()) {
            shown.nodes.forEach(n -> nodes.add(n.status()));
        } else {
            for (TriggerNodeRun node : triggerNodes(workflow, false)) {
                nodes.add(node.status());
            }
        }
        boolean running = triggers != null && triggers.reason == null && !nodes.isEmpty()
                && nodes.stream().allMatch(n -> n.state().equals("running"));
        String reason = !requested ? null : triggers == null ? "not started yet" : triggers.reason;
        if (requested && !running && reason == null) {
            reason = nodes.stream().filter(n -> !n.state().equals("running")).findFirst()
                    .map(n -> "trigger '" + n.nodeId() + "' is " + n.state()
                            + (n.errors().isEmpty() ? "" : ": " + n.errors().get(n.errors().size() - 1).message()))
                    .orElse("no trigger is running");
        }
        return new TriggerStatus(workflow.id(), requested, running, reason, nodes);
    }

    /** Trigger nodes of a workflow: those whose type is a trigger type in the catalogue now. */
    private List<TriggerNodeRun> triggerNodes(StoredWorkflow workflow, boolean test) {
        List<TriggerNodeRun> nodes = new ArrayList<>();
        JsonNode list = workflow.document().path("nodes");
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String type = node.path("type").asText();
            if (catalog.triggerType(type).isPresent()) {
                JsonNode config = node.path("config");
                nodes.add(new TriggerNodeRun(workflow.id(), node.path("id").asText(), type, i,
                        config.isObject() ? config : JsonNodeFactory.instance.objectNode(), test));
            }
        }
        return nodes;
    }

    /** Starts every trigger node or none: the first refusal stops the started ones and is thrown. */
    private void startStrict(WorkflowTriggers triggers, StoredWorkflow workflow, boolean test)
            throws ValidationException, ConflictException, NotFoundException {
        List<Problem> problems = workflows.availability(workflow.id());
        if (!problems.isEmpty()) {
            throw new ValidationException("workflow '" + workflow.id() + "' cannot be activated", problems);
        }
        List<TriggerNodeRun> nodes = triggerNodes(workflow, test);
        if (nodes.isEmpty()) {
            throw new ValidationException("workflow '" + workflow.id() + "' cannot be activated", List.of(new Problem(
                    "workflow.trigger.missing", "workflow '" + workflow.id() + "' has no trigger node (trigger.webhook, "
                    + "trigger.schedule, trigger.file, trigger.postgres, ...): nothing would start it", null, null, "/nodes")));
        }
        triggers.version = workflow.version();
        triggers.nodes = nodes;
        triggers.reason = null;
        List<TriggerNodeRun> started = new ArrayList<>();
        for (TriggerNodeRun node : nodes) {
            try {
                start(node);
                started.add(node);
            } catch (Exception e) {
                started.forEach(TriggerNodeRun::stop);
                node.state("stopped");
                Exception cause = unwrap(e);
                if (cause instanceof WebhookEndpoints.PathConflictException conflict) {
                    throw new ConflictException("trigger '" + node.nodeId + "' (" + node.type + "): webhook path '" + conflict.path()
                            + "' is already used by workflow '" + conflict.owner() + "'");
                }
                throw refusalAsValidation(node, cause);
            }
        }
    }

    private static Exception unwrap(Exception e) {
        return e instanceof java.lang.reflect.UndeclaredThrowableException u && u.getCause() instanceof Exception c ? c : e;
    }

    private static ValidationException refusalAsValidation(TriggerNodeRun node, Exception e) {
        String base = "/nodes/" + node.nodeIndex + "/config";
        if (e instanceof TriggerSecrets.UnresolvedSecretException secret) {
            String field = "/" + secret.field();
            return new ValidationException("trigger '" + node.nodeId + "' refers to a credential it cannot use", List.of(new Problem(
                    secret.code(), "trigger '" + node.nodeId + "' (" + node.type + ") config " + field + ": " + e.getMessage(),
                    node.nodeId, null, base + field)));
        }
        if (e instanceof TriggerConfigException config) {
            String field = config.field() == null || config.field().isEmpty() ? "" : "/" + config.field();
            return new ValidationException("trigger '" + node.nodeId + "' refused its configuration", List.of(new Problem(
                    "trigger.config.invalid", "trigger '" + node.nodeId + "' (" + node.type + ") config"
                    + (field.isEmpty() ? "" : " " + field) + ": " + e.getMessage(), node.nodeId, null, base + field)));
        }
        return new ValidationException("trigger '" + node.nodeId + "' did not start", List.of(new Problem("trigger.start.failed",
                "trigger '" + node.nodeId + "' (" + node.type + ") did not start: " + e, node.nodeId, null, base)));
    }

    /** Starts one node; throws what the trigger threw. Call under the lock. */
    private void start(TriggerNodeRun node) throws Exception {
        TriggerType type = catalog.triggerType(node.type).orElse(null);
        if (type == null) {
            node.state("unavailable");
            throw new IllegalStateException("trigger type '" + node.type + "' is not installed");
        }
        JsonNode config = TriggerSecrets.resolve(node.config, credentials);
        node.stop();
        long generation = node.generation;
        TriggerHandle handle = type.start(new NodeTriggerContext(this, node, generation, config));
        if (handle == null) {
            throw new IllegalStateException("trigger type '" + node.type + "' returned no handle");
        }
        node.handle = handle;
        node.fired.set(0);
        node.state("running");
    }

    /**
     * Stops a workflow's triggers and starts them again on its current version and what the
     * catalogue holds now; refusals are recorded and retried with backoff. Call under the lock.
     */
    private void reconcile(WorkflowTriggers triggers) {
        stopAll(triggers);
        Optional<StoredWorkflow> workflow = workflows.get(triggers.workflowId);
        if (workflow.isEmpty()) {
            active.remove(triggers.workflowId, triggers);
            documents.delete(COLLECTION, triggers.workflowId);
            return;
        }
        triggers.version = workflow.get().version();
        List<Problem> problems;
        try {
            problems = workflows.availability(triggers.workflowId);
        } catch (NotFoundException e) {
            return;
        }
        if (!problems.isEmpty()) {
            triggers.nodes = List.of();
            StringBuilder reason = new StringBuilder("unavailable: ");
            for (int i = 0; i < problems.size(); i++) {
                reason.append(i == 0 ? "" : "; ").append(problems.get(i).message());
            }
            triggers.reason = reason.toString();
            return;
        }
        triggers.nodes = triggerNodes(workflow.get(), false);
        triggers.reason = triggers.nodes.isEmpty() ? "the workflow has no trigger node" : null;
        for (TriggerNodeRun node : triggers.nodes) {
            startOrRetry(node, triggers);
        }
    }

    private void startOrRetry(TriggerNodeRun node, WorkflowTriggers owner) {
        try {
            start(node);
        } catch (Exception e) {
            Exception cause = unwrap(e);
            String message = cause instanceof WebhookEndpoints.PathConflictException || cause instanceof TriggerConfigException
                    ? cause.getMessage()
                    : cause instanceof TriggerSecrets.UnresolvedSecretException secret ? "config /" + secret.field() + ": " + cause.getMessage()
                    : String.valueOf(cause);
            node.error("start failed: " + message);
            LOG.log(Level.WARNING, "trigger " + node.workflowId + "/" + node.nodeId + " did not start: " + message);
            scheduleRestart(node, owner);
        }
    }

    private void scheduleRestart(TriggerNodeRun node, WorkflowTriggers owner) {
        if (closed) {
            return;
        }
        node.failures++;
        long delay = Math.min(MAX_BACKOFF_MS, initialBackoffMs << Math.min(20, node.failures - 1));
        node.state("restarting");
        long generation = node.generation;
        node.restart = timers.schedule(() -> {
            lock.lock();
            try {
                if (!closed && node.generation == generation && active.get(node.workflowId) == owner && owner.nodes.contains(node)) {
                    node.restart = null;
                    startOrRetry(node, owner);
                }
            } finally {
                lock.unlock();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private StoredWorkflow stored(String workflowId) throws NotFoundException {
        return workflows.get(workflowId).orElseThrow(() -> new NotFoundException("no workflow with id '" + workflowId + "'"));
    }

    /** Stops {@code triggers} if there are any, and hands them back. */
    private static WorkflowTriggers stopped(WorkflowTriggers triggers) {
        if (triggers != null) {
            stopAll(triggers);
        }
        return triggers;
    }

    private static void stopAll(WorkflowTriggers triggers) {
        for (TriggerNodeRun node : triggers.nodes) {
            node.stop();
            node.state("stopped");
        }
    }

    TriggeredRun fire(TriggerNodeRun node, long generation, Map<String, JsonNode> outputs) {
        if (node.generation != generation) {
            throw new IllegalStateException("trigger '" + node.nodeId + "' of workflow '" + node.workflowId + "' is stopped");
        }
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        outputs.forEach(input::set);
        Execution execution;
        try {
            execution = executions.start(node.workflowId, input, node.type);
        } catch (NotFoundException | ValidationException e) {
            node.error("could not start an execution: " + e.getMessage());
            throw new IllegalStateException("workflow '" + node.workflowId + "' cannot run: " + e.getMessage(), e);
        }
        fired(node);
        String id = execution.id();
        return new TriggeredRun() {
            @Override
            public String executionId() {
                return id;
            }

            @Override
            public CompletionStage<JsonNode> completion() {
                try {
                    return executions.completion(id).thenApply(Activations::summary);
                } catch (NotFoundException e) {
                    return java.util.concurrent.CompletableFuture.failedFuture(e);
                }
            }
        };
    }

    /**
     * Starts a run and waits for its outcome, through {@link ExecutionService#run}: for a workflow with
     * batched persistence the execution is written once, with its outcome, before this returns.
     */
    JsonNode run(TriggerNodeRun node, long generation, Map<String, JsonNode> outputs, Duration timeout) throws InterruptedException {
        if (node.generation != generation) {
            throw new IllegalStateException("trigger '" + node.nodeId + "' of workflow '" + node.workflowId + "' is stopped");
        }
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        outputs.forEach(input::set);
        Execution execution;
        try {
            execution = executions.run(node.workflowId, input, node.type, timeout);
        } catch (NotFoundException | ValidationException e) {
            node.error("could not start an execution: " + e.getMessage());
            throw new IllegalStateException("workflow '" + node.workflowId + "' cannot run: " + e.getMessage(), e);
        }
        fired(node);
        return summary(execution);
    }

    /** A fire went through: count it, reset the backoff, and end a test listener after its one event. */
    private void fired(TriggerNodeRun node) {
        node.fired.incrementAndGet();
        node.failures = 0;
        if (node.test) {
            timers.execute(() -> {
                WorkflowTriggers triggers = listening.get(node.workflowId);
                if (triggers != null && triggers.nodes.contains(node)) {
                    stopListening(triggers);
                }
            });
        }
    }

    /** The JSON a trigger sees of a finished execution: id, status, outputs, error. */
    static JsonNode summary(Execution execution) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", execution.id());
        out.put("status", execution.status().json());
        out.set("outputs", execution.outputs() == null ? JsonNodeFactory.instance.objectNode() : execution.outputs());
        if (execution.error() == null) {
            out.putNull("error");
        } else {
            ObjectNode error = out.putObject("error");
            error.put("message", execution.error().message());
            error.put("type", execution.error().type());
            error.put("code", execution.error().code());
            error.put("nodeId", execution.error().nodeId());
        }
        return out;
    }

    void failed(TriggerNodeRun node, long generation, Throwable error) {
        timers.execute(() -> {
            lock.lock();
            try {
                if (node.generation != generation || closed) {
                    return; // reported by a handle that was already closed
                }
                node.error(String.valueOf(error));
                LOG.log(Level.WARNING, "trigger " + node.workflowId + "/" + node.nodeId + " failed; restarting with backoff", error);
                node.stop();
                WorkflowTriggers owner = active.get(node.workflowId);
                if (owner != null && owner.nodes.contains(node)) {
                    scheduleRestart(node, owner);
                } else {
                    node.state("stopped");
                }
            } finally {
                lock.unlock();
            }
        });
    }

    Optional<JsonNode> loadState(TriggerNodeRun node) {
        return documents.find(STATE_COLLECTION, node.workflowId + "/" + node.nodeId);
    }

    void saveState(TriggerNodeRun node, JsonNode state) {
        documents.put(STATE_COLLECTION, node.workflowId + "/" + node.nodeId, state);
    }

    private void typeChanged(String type) {
        // Off the plugin's thread: starting triggers must not run inside a service (un)registration.
        reconcileActiveWhere(workflowId -> uses(workflowId, type));
    }

    /** On the timer thread, under the lock: reconciles the activated workflows {@code affected} accepts. */
    private void reconcileActiveWhere(java.util.function.Predicate<String> affected) {
        if (closed) {
            return;
        }
        timers.execute(() -> {
            lock.lock();
            try {
                for (WorkflowTriggers triggers : List.copyOf(active.values())) {
                    if (!closed && affected.test(triggers.workflowId)) {
                        reconcile(triggers);
                    }
                }
            } finally {
                lock.unlock();
            }
        });
    }

    private boolean uses(String workflowId, String type) {
        Optional<StoredWorkflow> workflow = workflows.get(workflowId);
        if (workflow.isEmpty()) {
            return true;
        }
        for (JsonNode node : workflow.get().document().path("nodes")) {
            if (type.equals(node.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    private void workflowChanged(String workflowId) {
        if (closed || !active.containsKey(workflowId)) {
            return;
        }
        timers.execute(() -> {
            lock.lock();
            try {
                WorkflowTriggers triggers = active.get(workflowId);
                if (triggers != null && !closed) {
                    reconcile(triggers);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /** A credential was put or deleted: restart the activated workflows whose trigger configs name it. */
    private void credentialChanged(String name) {
        reconcileActiveWhere(workflowId -> usesCredential(workflowId, name));
    }

    private boolean usesCredential(String workflowId, String name) {
        Optional<StoredWorkflow> workflow = workflows.get(workflowId);
        if (workflow.isEmpty()) {
            return false;
        }
        for (JsonNode node : workflow.get().document().path("nodes")) {
            if (catalog.triggerType(node.path("type").asText()).isPresent()
                    && TriggerSecrets.names(node.path("config")).contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** Test hook: every activated workflow's id with its triggers' states. */
    Map<String, List<String>> states() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        active.forEach((id, t) -> out.put(id, t.nodes.stream().map(n -> n.nodeId + "=" + n.state).toList()));
        return out;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (AutoCloseable listener : listeners) {
                try {
                    listener.close();
                } catch (Exception e) {
                    LOG.log(Level.FINE, "closing a listener", e);
                }
            }
            active.values().forEach(Activations::stopAll);
            listening.values().forEach(Activations::stopAll);
            // the activations stay stored: they are restored at the next start
        } finally {
            lock.unlock();
        }
    }
}

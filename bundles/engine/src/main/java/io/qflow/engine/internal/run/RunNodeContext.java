package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ExpressionException;
import io.qflow.engine.internal.expression.JexlExpressions;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeLogger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The {@link NodeContext} of one attempt of one node. */
final class RunNodeContext implements NodeContext {

    private final String executionId;
    private final NodeState state;
    private final int attempt;
    private final ObjectNode config;
    private final Supplier<Map<String, Object>> variables;
    private final JexlExpressions expressions;
    private final BooleanSupplier cancelled;
    private final NodeLogger logger;
    private volatile double progress;
    private io.qflow.sdk.Decision decision;

    /** Runs sub-workflows for this node ({@link #runWorkflow}); set by the run, null: unsupported. */
    interface SubWorkflows {
        JsonNode run(String workflowId, JsonNode input, java.time.Duration timeout, RunNodeContext caller) throws NodeException;
    }

    private SubWorkflows subWorkflows;

    /** Lets the node run sub-workflows through the engine. */
    RunNodeContext withSubWorkflows(SubWorkflows runner) {
        this.subWorkflows = runner;
        return this;
    }

    @Override
    public JsonNode runWorkflow(String workflowId, JsonNode input, java.time.Duration timeout) throws NodeException {
        if (subWorkflows == null) {
            return NodeContext.super.runWorkflow(workflowId, input, timeout);
        }
        return subWorkflows.run(workflowId, input, timeout, this);
    }

    /** The node run's state, for the engine's sub-workflow calls. */
    NodeState state() {
        return state;
    }

    /** Cancelled or timed out, whatever thread asks (unlike {@link #isCancelled()}, which also looks at the caller's interrupt). */
    boolean aborted() {
        return cancelled.getAsBoolean() || state.timedOut;
    }

    /** Sets the decision a waiting node is finished with (before the node is called). */
    RunNodeContext withDecision(io.qflow.sdk.Decision given) {
        this.decision = given;
        return this;
    }

    @Override
    public java.util.Optional<io.qflow.sdk.Decision> decision() {
        return java.util.Optional.ofNullable(decision);
    }

    RunNodeContext(String executionId, NodeState state, int attempt, ObjectNode config, Supplier<Map<String, Object>> variables,
                   JexlExpressions expressions, BooleanSupplier cancelled) {
        this.executionId = executionId;
        this.state = state;
        this.attempt = attempt;
        this.config = config;
        this.variables = variables;
        this.expressions = expressions;
        this.cancelled = cancelled;
        this.logger = new NodeLogger() {
            @Override
            public void debug(String message) {
                state.log("debug", message);
            }

            @Override
            public void info(String message) {
                state.log("info", message);
            }

            @Override
            public void warn(String message) {
                state.log("warn", message);
            }

            @Override
            public void error(String message) {
                state.log("error", message);
            }
        };
    }

    @Override
    public String executionId() {
        return executionId;
    }

    @Override
    public String nodeId() {
        return state.spec.id();
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public JsonNode config() {
        return config;
    }

    @Override
    public JsonNode input(String port) {
        JsonNode value = state.inputs.get(port);
        return value == null ? MissingNode.getInstance() : state.values == null ? value : state.values.resolved(value);
    }

    @Override
    public Map<String, JsonNode> inputs() {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        state.inputs.fields().forEachRemaining(e -> all.put(e.getKey(),
                state.values == null ? e.getValue() : state.values.resolved(e.getValue())));
        return all;
    }

    @Override
    public JsonNode evaluate(String template, Map<String, JsonNode> extraVariables) throws NodeException {
        Map<String, Object> all = variables.get();
        if (extraVariables != null && !extraVariables.isEmpty()) {
            all = new HashMap<>(all);
            for (Map.Entry<String, JsonNode> e : extraVariables.entrySet()) {
                all.put(e.getKey(), JexlExpressions.view(e.getValue()));
            }
        }
        try {
            return expressions.evaluateWith(template, all);
        } catch (ExpressionException e) {
            throw new NodeException("expression", e.getMessage(), false, e);
        }
    }

    @Override
    public io.qflow.sdk.BlobStore blobs() {
        return state.values == null ? NodeContext.super.blobs() : state.values.store();
    }

    @Override
    public NodeLogger log() {
        return logger;
    }

    @Override
    public void progress(double fraction, String message) {
        progress = Math.max(0, Math.min(1, fraction));
        if (message != null && !message.isBlank()) {
            state.log("progress", Math.round(progress * 100) + "% " + message);
        }
        if (state.events != null) {
            state.events.progress(state, progress, message);
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.getAsBoolean() || state.timedOut || Thread.currentThread().isInterrupted();
    }

    double progress() {
        return progress;
    }
}

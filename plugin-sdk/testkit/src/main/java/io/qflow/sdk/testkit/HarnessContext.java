package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeLogger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@link NodeContext} a {@link NodeHarness} hands to the node: records what the node reports. */
final class HarnessContext implements NodeContext {

    private final String executionId;
    private final String nodeId;
    private final int attempt;
    private final JsonNode config;
    private final Map<String, JsonNode> inputs;
    private final Map<String, JsonNode> variables;
    private final List<LogEntry> logs = Collections.synchronizedList(new ArrayList<>());
    private final List<ProgressReport> progress = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean cancelled;
    private io.qflow.sdk.Decision decision;

    HarnessContext(String executionId, String nodeId, int attempt, JsonNode config,
                   Map<String, JsonNode> inputs, Map<String, JsonNode> variables) {
        this.executionId = executionId;
        this.nodeId = nodeId;
        this.attempt = attempt;
        this.config = config;
        this.inputs = Collections.unmodifiableMap(inputs);
        this.variables = variables;
    }

    @Override public String executionId() { return executionId; }
    @Override public String nodeId() { return nodeId; }
    @Override public int attempt() { return attempt; }
    @Override public JsonNode config() { return config; }

    private java.util.function.Supplier<io.qflow.sdk.BlobStore> blobs;

    /** The harness's blob store, made only when the node asks for it. */
    void blobs(java.util.function.Supplier<io.qflow.sdk.BlobStore> store) {
        this.blobs = store;
    }

    @Override
    public io.qflow.sdk.BlobStore blobs() {
        return blobs == null ? NodeContext.super.blobs() : blobs.get();
    }

    void decision(io.qflow.sdk.Decision given) {
        this.decision = given;
    }

    @Override
    public java.util.Optional<io.qflow.sdk.Decision> decision() {
        return java.util.Optional.ofNullable(decision);
    }

    @Override
    public JsonNode input(String port) {
        JsonNode value = inputs.get(port);
        return value == null ? MissingNode.getInstance() : value;
    }

    @Override
    public Map<String, JsonNode> inputs() {
        return inputs;
    }

    @Override
    public JsonNode evaluate(String template, Map<String, JsonNode> extraVariables) throws NodeException {
        if (template == null) {
            return TestJson.NODES.nullNode();
        }
        Map<String, JsonNode> all = new HashMap<>(variables);
        if (extraVariables != null) {
            all.putAll(extraVariables);
        }
        return ConfigResolver.evaluate(template, all, "");
    }

    @Override
    public NodeLogger log() {
        return new NodeLogger() {
            @Override public void debug(String message) { logs.add(new LogEntry("debug", message)); }
            @Override public void info(String message) { logs.add(new LogEntry("info", message)); }
            @Override public void warn(String message) { logs.add(new LogEntry("warn", message)); }
            @Override public void error(String message) { logs.add(new LogEntry("error", message)); }
        };
    }

    @Override
    public void progress(double fraction, String message) {
        progress.add(new ProgressReport(fraction, message));
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    private Map<String, FakeWorkflow> workflows = Map.of();

    void workflows(Map<String, FakeWorkflow> fakes) {
        this.workflows = Map.copyOf(fakes);
    }

    @Override
    public JsonNode runWorkflow(String workflowId, JsonNode input, java.time.Duration timeout) throws NodeException {
        FakeWorkflow fake = workflowId == null ? null : workflows.get(workflowId);
        if (fake == null) {
            throw new NodeException("workflow.not_found", "sub-workflow '" + workflowId + "' does not exist (the harness knows "
                    + new java.util.TreeSet<>(workflows.keySet()) + ")", false, null);
        }
        checkCancelled();
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("node " + nodeId + " was interrupted");
        }
        log().info("started sub-workflow '" + workflowId + "' (harness fake)");
        JsonNode outputs;
        try {
            outputs = fake.run(input == null || input.isNull() ? TestJson.NODES.objectNode() : input);
        } catch (NodeException e) {
            if (e.code().startsWith("workflow.")) {
                throw e;
            }
            throw new NodeException("workflow.failed", "sub-workflow '" + workflowId + "' failed: " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("node " + nodeId + " was interrupted");
        } catch (java.util.concurrent.CancellationException e) {
            throw e;
        } catch (Exception e) {
            throw new NodeException("workflow.failed", "sub-workflow '" + workflowId + "' failed: " + e, false, e);
        }
        return outputs == null ? TestJson.NODES.objectNode() : outputs;
    }

    void cancel() {
        cancelled = true;
    }

    List<LogEntry> logs() {
        synchronized (logs) {
            return List.copyOf(logs);
        }
    }

    List<ProgressReport> progressReports() {
        synchronized (progress) {
            return List.copyOf(progress);
        }
    }
}

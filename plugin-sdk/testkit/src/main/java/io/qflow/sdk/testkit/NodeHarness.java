package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs one {@link NodeType} in a plain JUnit 5 test, without OSGi or an engine.
 *
 * <p>Before calling {@code execute}, {@link #run()} evaluates the {@code {{ }}} expressions in the
 * config exactly as the engine does: every string anywhere in the config, except the top-level fields
 * the descriptor lists in {@code deferredConfig}, with the variables {@code input} (the run's input),
 * {@code in} (the value on the {@code in} port, when given), {@code inputs} (every input by port),
 * {@code nodes}, {@code vars} and {@code execution} ({@code {"id", "workflowId"}}).
 * {@code NodeContext.evaluate} sees the same variables plus its extra ones.
 *
 * <p>JSON is passed as text ({@code "{\"a\": 1}"}, {@code "\"a string\""}) or as {@link JsonNode}.
 * The node runs on a virtual thread, as in the engine. A harness may be run many times; each run gets
 * a fresh context. Not thread-safe: configure it from one thread.
 *
 * <pre>{@code
 * NodeOutcome out = NodeHarness.of(new SetNode())
 *     .config("{\"values\": {\"x\": \"{{ in.a + 1 }}\"}}")
 *     .input("in", "{\"a\": 1}")
 *     .run();
 * out.assertEmits("out", "{\"x\": 2}");
 * }</pre>
 */
public final class NodeHarness {

    /** How long a cancelled node may take to notice before the harness gives up on it. */
    private static final Duration CANCELLATION_GRACE = Duration.ofSeconds(10);

    private final NodeType node;
    private JsonNode config = TestJson.NODES.objectNode();
    private final Map<String, JsonNode> inputs = new LinkedHashMap<>();
    private JsonNode runInput = TestJson.NODES.objectNode();
    private JsonNode vars = TestJson.NODES.objectNode();
    private JsonNode nodes = TestJson.NODES.objectNode();
    private String executionId = "test-execution";
    private String workflowId = "test-workflow";
    private String nodeId = "node";
    private int attempt = 1;
    private boolean cancelled;
    private Duration cancelAfter;
    private io.qflow.sdk.Decision decision;
    private final Map<String, FakeWorkflow> workflows = new LinkedHashMap<>();
    private io.qflow.sdk.BlobStore blobs;

    private NodeHarness(NodeType node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    /** A harness for this node instance. */
    public static NodeHarness of(NodeType node) {
        return new NodeHarness(node);
    }

    /** The node's config as JSON text, before expression evaluation. */
    public NodeHarness config(String json) {
        return config(TestJson.parse(json, "config"));
    }

    /** The node's config, before expression evaluation; {@code null} means {@code {}}. */
    public NodeHarness config(JsonNode config) {
        this.config = config == null ? TestJson.NODES.objectNode() : config.deepCopy();
        return this;
    }

    /** A value arriving on an input port, as JSON text. */
    public NodeHarness input(String port, String json) {
        return input(port, TestJson.parse(json, "input '" + port + "'"));
    }

    /** A value arriving on an input port ({@code null} is a JSON null, not an absence). */
    public NodeHarness input(String port, JsonNode value) {
        inputs.put(Objects.requireNonNull(port, "port"), value == null ? TestJson.NODES.nullNode() : value.deepCopy());
        return this;
    }

    /** A string value arriving on an input port, given as plain text rather than JSON. */
    public NodeHarness inputText(String port, String text) {
        return input(port, TextNode.valueOf(text));
    }

    /** The run's input: the {@code input} variable, what {@code core.input} emits. Default {@code {}}. */
    public NodeHarness runInput(String json) {
        return runInput(TestJson.parse(json, "run input"));
    }

    public NodeHarness runInput(JsonNode input) {
        this.runInput = input == null ? TestJson.NODES.objectNode() : input.deepCopy();
        return this;
    }

    /** The {@code vars} variable (workflow variables). Default {@code {}}. */
    public NodeHarness vars(String json) {
        return vars(TestJson.parse(json, "vars"));
    }

    public NodeHarness vars(JsonNode vars) {
        this.vars = vars == null ? TestJson.NODES.objectNode() : vars.deepCopy();
        return this;
    }

    /** The {@code nodes} variable: outputs of upstream nodes, {@code {"<nodeId>": {"<port>": value}}}. */
    public NodeHarness nodes(String json) {
        return nodes(TestJson.parse(json, "nodes"));
    }

    public NodeHarness nodes(JsonNode nodes) {
        this.nodes = nodes == null ? TestJson.NODES.objectNode() : nodes.deepCopy();
        return this;
    }

    public NodeHarness executionId(String id) { this.executionId = Objects.requireNonNull(id); return this; }
    public NodeHarness workflowId(String id) { this.workflowId = Objects.requireNonNull(id); return this; }
    public NodeHarness nodeId(String id) { this.nodeId = Objects.requireNonNull(id); return this; }

    /** The attempt number the node sees (1 = first attempt). */
    public NodeHarness attempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1");
        }
        this.attempt = attempt;
        return this;
    }

    /** Runs the node as if its execution had been cancelled before it started. */
    public NodeHarness cancelled() {
        this.cancelled = true;
        return this;
    }

    /**
     * Cancels the node after this delay, as the engine does on cancel or timeout: marks the context
     * cancelled and interrupts the node's thread.
     */
    public NodeHarness cancelAfter(Duration delay) {
        this.cancelAfter = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /**
     * Runs the node as the engine does when a decision arrives for a node that returned
     * {@link NodeResult#waiting(io.qflow.sdk.WaitRequest)}: {@code NodeContext.decision()} is set.
     *
     * @since 1.1
     */
    public NodeHarness decision(String decision, String dataJson) {
        return decision(new io.qflow.sdk.Decision(decision, dataJson == null ? null : TestJson.parse(dataJson, "decision data"), false));
    }

    /** @since 1.1 */
    public NodeHarness decision(io.qflow.sdk.Decision decision) {
        this.decision = Objects.requireNonNull(decision);
        return this;
    }

    /**
     * A stored workflow the node may run with {@code NodeContext.runWorkflow}: the fake gets the
     * child's input and returns its outputs ({@code {"<sinkNodeId>": {"<port>": value}}}). Unknown
     * ids fail with {@code workflow.not_found}, as on the engine.
     *
     * @since 1.1
     */
    public NodeHarness workflow(String id, FakeWorkflow fake) {
        workflows.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(fake, "fake"));
        return this;
    }

    /**
     * The blob store the node gets from {@code NodeContext.blobs()}: put content there to hand the
     * node a {@link io.qflow.sdk.BlobRef}, read what the node stored. Default: a {@link TempBlobStore}
     * in a new temporary folder, made on first use.
     *
     * @since 1.1
     */
    public synchronized io.qflow.sdk.BlobStore blobs() {
        if (blobs == null) {
            blobs = TempBlobStore.create();
        }
        return blobs;
    }

    /** Uses this blob store instead of a temporary one. @since 1.1 */
    public NodeHarness blobs(io.qflow.sdk.BlobStore store) {
        this.blobs = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * Resolves the config and runs the node once. Never throws what the node throws: the failure is
     * in {@link NodeOutcome#failure()}. Throws {@link IllegalArgumentException} only when the harness
     * itself is set up wrong (an input on a port the node does not have).
     */
    public NodeOutcome run() {
        NodePorts ports = node.ports(config);
        List<String> unknown = inputs.keySet().stream()
                .filter(port -> ports.input(port).isEmpty())
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(node.descriptor().type() + " has no input port " + unknown
                    + "; its inputs are " + names(ports.inputs()));
        }

        Map<String, JsonNode> variables = variables();
        JsonNode resolved;
        try {
            resolved = ConfigResolver.resolve(config, node.descriptor().deferredConfig(), variables);
        } catch (NodeException e) {
            return NodeOutcome.failed(config, e, List.of(), List.of());
        }

        HarnessContext context = new HarnessContext(executionId, nodeId, attempt, resolved, new LinkedHashMap<>(inputs), variables);
        if (cancelled) {
            context.cancel();
        }
        if (decision != null) {
            context.decision(decision);
        }
        context.workflows(workflows);
        context.blobs(this::blobs);
        AtomicReference<NodeResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofVirtual().name("qflow-test-node-" + nodeId).unstarted(() -> {
            try {
                result.set(node.execute(context));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        try {
            if (cancelAfter == null) {
                worker.join();
            } else if (!worker.join(cancelAfter)) {
                context.cancel();
                worker.interrupt();
                if (!worker.join(CANCELLATION_GRACE)) {
                    failure.compareAndSet(null, new AssertionError(node.descriptor().type()
                            + " ignored cancellation: still running " + CANCELLATION_GRACE.toSeconds()
                            + " s after its thread was interrupted"));
                }
            }
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        }

        if (failure.get() != null) {
            return NodeOutcome.failed(resolved, failure.get(), context.logs(), context.progressReports());
        }
        NodeResult emitted = result.get();
        if (emitted == null) {
            return NodeOutcome.failed(resolved, new IllegalStateException(node.descriptor().type()
                    + " returned null from execute; return NodeResult.empty() to emit nothing"),
                    context.logs(), context.progressReports());
        }
        List<String> undeclared = emitted.outputs().keySet().stream()
                .filter(port -> ports.output(port).isEmpty())
                .toList();
        if (!undeclared.isEmpty()) {
            return NodeOutcome.failed(resolved, new IllegalStateException(node.descriptor().type()
                    + " emitted on undeclared output port(s) " + undeclared + "; its outputs are "
                    + names(ports.outputs())), context.logs(), context.progressReports());
        }
        if (emitted.waitRequest().isPresent()) {
            if (decision != null) {
                return NodeOutcome.failed(resolved, new IllegalStateException(node.descriptor().type()
                        + " returned waiting again although it was given a decision"), context.logs(), context.progressReports());
            }
            return NodeOutcome.waiting(resolved, emitted.waitRequest().get(), context.logs(), context.progressReports());
        }
        return NodeOutcome.succeeded(resolved, emitted.outputs(), context.logs(), context.progressReports());
    }

    /** {@link #run()}, then {@link NodeOutcome#assertSuccess()}. */
    public NodeOutcome runExpectingSuccess() {
        return run().assertSuccess();
    }

    /** {@link #run()}, then {@link NodeOutcome#assertFails(String)}: the node's NodeException. */
    public NodeException runExpectingFailure(String code) {
        return run().assertFails(code);
    }

    private Map<String, JsonNode> variables() {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        variables.put("input", runInput);
        if (inputs.containsKey("in")) {
            variables.put("in", inputs.get("in"));
        }
        ObjectNode all = TestJson.NODES.objectNode();
        inputs.forEach(all::set);
        variables.put("inputs", all);
        variables.put("nodes", nodes);
        variables.put("vars", vars);
        ObjectNode execution = TestJson.NODES.objectNode();
        execution.put("id", executionId);
        execution.put("workflowId", workflowId);
        variables.put("execution", execution);
        return variables;
    }

    private static String names(List<PortSpec> ports) {
        return ports.stream().map(PortSpec::name).collect(Collectors.joining(", ", "[", "]"));
    }
}

package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.qflow.sdk.NodeException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opentest4j.AssertionFailedError;

/**
 * What one {@link NodeHarness#run()} produced: the values emitted by port, or the failure, plus the
 * log lines and progress reports. The {@code assert*} methods throw {@link AssertionError}s whose
 * messages say what the node did instead. Immutable.
 */
public final class NodeOutcome {

    private final JsonNode config;
    private final Map<String, JsonNode> outputs;
    private final Throwable failure;
    private final List<LogEntry> logs;
    private final List<ProgressReport> progress;
    private final io.qflow.sdk.WaitRequest waitRequest;

    private NodeOutcome(JsonNode config, Map<String, JsonNode> outputs, Throwable failure,
                        List<LogEntry> logs, List<ProgressReport> progress) {
        this(config, outputs, failure, logs, progress, null);
    }

    private NodeOutcome(JsonNode config, Map<String, JsonNode> outputs, Throwable failure,
                        List<LogEntry> logs, List<ProgressReport> progress, io.qflow.sdk.WaitRequest waitRequest) {
        this.waitRequest = waitRequest;
        this.config = config;
        this.outputs = outputs;
        this.failure = failure;
        this.logs = List.copyOf(logs);
        this.progress = List.copyOf(progress);
    }

    static NodeOutcome succeeded(JsonNode config, Map<String, JsonNode> outputs, List<LogEntry> logs, List<ProgressReport> progress) {
        return new NodeOutcome(config, Collections.unmodifiableMap(new LinkedHashMap<>(outputs)), null, logs, progress);
    }

    static NodeOutcome failed(JsonNode config, Throwable failure, List<LogEntry> logs, List<ProgressReport> progress) {
        return new NodeOutcome(config, Map.of(), failure, logs, progress);
    }

    static NodeOutcome waiting(JsonNode config, io.qflow.sdk.WaitRequest request, List<LogEntry> logs, List<ProgressReport> progress) {
        return new NodeOutcome(config, Map.of(), null, logs, progress, request);
    }

    /**
     * What the node asks for when it returned {@code NodeResult.waiting(...)}; empty otherwise.
     *
     * @since 1.1
     */
    public java.util.Optional<io.qflow.sdk.WaitRequest> waitRequest() {
        return java.util.Optional.ofNullable(waitRequest);
    }

    /** The config as the node saw it, expressions evaluated (or as given, when evaluating failed). */
    public JsonNode config() {
        return config;
    }

    /** Values by output port; empty when the node failed. */
    public Map<String, JsonNode> outputs() {
        return outputs;
    }

    /**
     * The value emitted on a port, or a {@link MissingNode} when the port did not emit.
     *
     * @throws AssertionError when the node failed, with the failure as cause
     */
    public JsonNode output(String port) {
        assertSuccess();
        JsonNode value = outputs.get(port);
        return value == null ? MissingNode.getInstance() : value;
    }

    /** Whether the port emitted. */
    public boolean emitted(String port) {
        return outputs.containsKey(port);
    }

    /** What {@code execute} threw (or the harness recorded instead), or {@code null} when it succeeded. */
    public Throwable failure() {
        return failure;
    }

    public boolean succeeded() {
        return failure == null;
    }

    /** Log lines in the order the node wrote them. */
    public List<LogEntry> logs() {
        return logs;
    }

    /** Progress reports in the order the node made them. */
    public List<ProgressReport> progress() {
        return progress;
    }

    /** @throws AssertionError when the node failed, naming the failure */
    public NodeOutcome assertSuccess() {
        if (failure != null) {
            throw new AssertionError("expected the node to succeed, but it failed with " + describe(failure)
                    + logSuffix(), failure);
        }
        return this;
    }

    /** Asserts the node succeeded and emitted this JSON on the port (numbers compare by value). */
    public NodeOutcome assertEmits(String port, String expectedJson) {
        return assertEmits(port, TestJson.parse(expectedJson, "expected value"));
    }

    /** Asserts the node succeeded and emitted this value on the port (numbers compare by value). */
    public NodeOutcome assertEmits(String port, JsonNode expected) {
        assertSuccess();
        JsonNode actual = outputs.get(port);
        if (actual == null) {
            throw new AssertionFailedError("expected port '" + port + "' to emit " + expected
                    + " but it did not emit; emitted ports: " + outputs.keySet(),
                    TestJson.pretty(expected), "<nothing>");
        }
        if (!TestJson.sameJson(expected, actual)) {
            throw new AssertionFailedError("port '" + port + "' emitted " + actual + " but expected " + expected,
                    TestJson.pretty(expected), TestJson.pretty(actual));
        }
        return this;
    }

    /** Asserts the node succeeded and emitted on exactly these ports. */
    public NodeOutcome assertEmitsOnly(String... ports) {
        assertSuccess();
        Set<String> expected = new TreeSet<>(Arrays.asList(ports));
        Set<String> actual = new TreeSet<>(outputs.keySet());
        if (!expected.equals(actual)) {
            throw new AssertionFailedError("expected emissions on " + expected + " but the node emitted on "
                    + actual + ": " + outputs, expected, actual);
        }
        return this;
    }

    /** Asserts the node succeeded and did not emit on the port. */
    public NodeOutcome assertNotEmitted(String port) {
        assertSuccess();
        if (outputs.containsKey(port)) {
            throw new AssertionError("expected port '" + port + "' not to emit, but it emitted " + outputs.get(port));
        }
        return this;
    }

    /**
     * Asserts the node failed with a {@link NodeException} of this code and returns it, so a test can
     * check its message and retryable flag.
     */
    public NodeException assertFails(String code) {
        if (failure == null) {
            throw new AssertionError("expected the node to fail with code '" + code + "', but it succeeded and emitted "
                    + outputs + logSuffix());
        }
        if (!(failure instanceof NodeException nodeException)) {
            throw new AssertionError("expected a NodeException with code '" + code + "', but the node threw "
                    + describe(failure), failure);
        }
        if (!nodeException.code().equals(code)) {
            throw new AssertionFailedError("expected failure code '" + code + "' but got '" + nodeException.code()
                    + "': " + nodeException.getMessage(), code, nodeException.code(), failure);
        }
        return nodeException;
    }

    /** Asserts the node logged a line at this level containing the text. */
    public NodeOutcome assertLogged(String level, String contains) {
        boolean found = logs.stream().anyMatch(l -> l.level().equals(level) && l.message() != null
                && l.message().contains(contains));
        if (!found) {
            throw new AssertionError("expected a " + level + " log line containing '" + contains + "'; logged: " + logs);
        }
        return this;
    }

    @Override
    public String toString() {
        return failure == null ? "NodeOutcome" + outputs : "NodeOutcome[failed: " + describe(failure) + "]";
    }

    private String logSuffix() {
        return logs.isEmpty() ? "" : "\nlog:\n  " + String.join("\n  ", logs.stream().map(LogEntry::toString).toList());
    }

    private static String describe(Throwable failure) {
        if (failure instanceof NodeException e) {
            return "NodeException[code=" + e.code() + ", retryable=" + e.retryable() + "]: " + e.getMessage();
        }
        return failure.toString();
    }
}

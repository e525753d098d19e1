package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeLogger;
import java.util.Map;

/** The least NodeContext for timing node runs: no inputs, logs kept only to read the function's own time. */
final class BenchContext implements NodeContext {

    private final JsonNode config;
    private volatile double lastPythonMicros;

    BenchContext(JsonNode config) {
        this.config = config;
    }

    double lastPythonMicros() {
        return lastPythonMicros;
    }

    @Override public String executionId() { return "bench"; }
    @Override public String nodeId() { return "noop"; }
    @Override public int attempt() { return 1; }
    @Override public JsonNode config() { return config; }
    @Override public JsonNode input(String port) { return MissingNode.getInstance(); }
    @Override public Map<String, JsonNode> inputs() { return Map.of(); }

    @Override
    public JsonNode evaluate(String template, Map<String, JsonNode> extraVariables) throws NodeException {
        throw new NodeException("expression", "no expressions in the benchmark");
    }

    @Override
    public NodeLogger log() {
        return new NodeLogger() {
            @Override
            public void debug(String message) {
                // "noop() took 0.004 ms in Python": the function's own time, taken out of the overhead
                int at = message.indexOf(" took ");
                if (at > 0 && message.endsWith(" ms in Python")) {
                    lastPythonMicros = Double.parseDouble(message.substring(at + 6, message.length() - " ms in Python".length())) * 1000;
                }
            }
            @Override public void info(String message) { }
            @Override public void warn(String message) { }
            @Override public void error(String message) { }
        };
    }

    @Override public void progress(double fraction, String message) { }
    @Override public boolean isCancelled() { return false; }
}

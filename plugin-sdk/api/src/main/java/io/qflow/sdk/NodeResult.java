package io.qflow.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one node invocation emits: values by output port. Ports that do not appear did not emit,
 * and the nodes connected to them are skipped (that is how If and Switch branch). An emitted
 * JSON {@code null} is a value, not an absence. Immutable.
 */
public final class NodeResult {

    private static final NodeResult EMPTY = new NodeResult(Map.of());
    private final Map<String, JsonNode> outputs;

    private NodeResult(Map<String, JsonNode> outputs) {
        this.outputs = outputs;
    }

    /** Emits nothing: every downstream node is skipped. */
    public static NodeResult empty() {
        return EMPTY;
    }

    /** Emits one value on one port. */
    public static NodeResult of(String port, JsonNode value) {
        return new NodeResult(Map.of(port, nullToJson(value)));
    }

    /** Emits on several ports. */
    public static NodeResult of(Map<String, JsonNode> outputs) {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        outputs.forEach((port, value) -> copy.put(Objects.requireNonNull(port, "port"), nullToJson(value)));
        return new NodeResult(Collections.unmodifiableMap(copy));
    }

    /** Values by output port. */
    public Map<String, JsonNode> outputs() {
        return outputs;
    }

    /** Whether the port emitted. */
    public boolean emitted(String port) {
        return outputs.containsKey(port);
    }

    private static JsonNode nullToJson(JsonNode value) {
        return value == null ? JsonNodeFactory.instance.nullNode() : value;
    }

    @Override
    public String toString() {
        return "NodeResult" + outputs;
    }
}

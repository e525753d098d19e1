package io.qflow.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node invocation emits: values by output port. Ports that do not appear did not emit,
 * and the nodes connected to them are skipped (that is how If and Switch branch). An emitted
 * JSON {@code null} is a value, not an absence. A node that needs a decision first returns
 * {@link #waiting(WaitRequest)}. Immutable.
 */
public final class NodeResult {

    private static final NodeResult EMPTY = new NodeResult(Map.of());
    private final Map<String, JsonNode> outputs;
    private final WaitRequest waitRequest;

    private NodeResult(Map<String, JsonNode> outputs) {
        this(outputs, null);
    }

    private NodeResult(Map<String, JsonNode> outputs, WaitRequest waitRequest) {
        this.outputs = outputs;
        this.waitRequest = waitRequest;
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

    /**
     * Emits nothing yet: the node waits for a decision without holding a thread. The engine calls
     * {@link NodeType#execute(NodeContext)} again once the decision is there, with
     * {@link NodeContext#decision()} set; that call must not return {@code waiting} again.
     *
     * @since 1.1
     */
    public static NodeResult waiting(WaitRequest request) {
        return new NodeResult(Map.of(), Objects.requireNonNull(request, "request"));
    }

    /** What the node waits for, when it returned {@link #waiting(WaitRequest)}. @since 1.1 */
    public Optional<WaitRequest> waitRequest() {
        return Optional.ofNullable(waitRequest);
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
        return waitRequest == null ? "NodeResult" + outputs : "NodeResult.waiting" + waitRequest.decisions();
    }
}

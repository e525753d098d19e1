package io.qflow.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a node asks a person (or another system) before it can finish: an approval, a form. A node
 * returns it through {@link NodeResult#waiting(WaitRequest)}; the engine records it, frees the
 * node's thread and marks the node {@code waiting}. When a decision arrives (through the REST
 * {@code resume} call, or the default decision when the timeout passes) the engine calls
 * {@link NodeType#execute(NodeContext)} again with {@link NodeContext#decision()} set, and the node
 * returns its final result. Immutable.
 *
 * @param request         what is asked, shown as is to clients (title, description, fields, ...); an object
 * @param decisions       the decisions a resume may give (such as {@code approve}, {@code reject}); not empty
 * @param timeout         how long to wait, or {@code null} to wait forever
 * @param defaultDecision the decision applied when the timeout passes (one of {@code decisions}), or
 *                        {@code null}: the node then ends as timed out
 * @since 1.1
 */
public record WaitRequest(JsonNode request, List<String> decisions, Duration timeout, String defaultDecision) {

    public WaitRequest {
        request = request == null ? JsonNodeFactory.instance.objectNode() : request;
        decisions = List.copyOf(Objects.requireNonNull(decisions, "decisions"));
        if (decisions.isEmpty()) {
            throw new IllegalArgumentException("a wait request needs at least one decision");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (defaultDecision != null && !decisions.contains(defaultDecision)) {
            throw new IllegalArgumentException("default decision '" + defaultDecision + "' is not one of " + decisions);
        }
    }
}

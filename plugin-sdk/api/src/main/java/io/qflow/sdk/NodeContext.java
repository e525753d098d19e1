package io.qflow.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Everything one node invocation gets from the platform. Valid only during
 * {@link NodeType#execute(NodeContext)}; not to be shared with other threads after it returns.
 */
@ProviderType
public interface NodeContext {

    /** Id of the execution this node runs in. */
    String executionId();

    /** Id of the node inside its workflow. */
    String nodeId();

    /** 1 for the first attempt, 2 for the first retry, ... */
    int attempt();

    /**
     * The node's configuration with every {@code {{ }}} expression evaluated, except the fields the
     * descriptor lists in {@link NodeDescriptor#deferredConfig()}. Never {@code null}: an empty
     * object when the workflow gives none.
     */
    JsonNode config();

    /** The value that arrived on an input port; a {@code MissingNode} when the port received nothing. */
    JsonNode input(String port);

    /** Every received input value by port name. */
    Map<String, JsonNode> inputs();

    /**
     * Evaluates a config string that may hold {@code {{ }}} expressions, with the workflow's variables
     * ({@code input} = the run's input, {@code in} = this node's {@code in} port, {@code inputs} = all
     * its input ports, {@code nodes.<id>.<port>}, {@code trigger}, {@code execution}, {@code vars})
     * plus {@code extraVariables}
     * (such as {@code item} and {@code index} when a node evaluates per item). A string that is one
     * whole expression keeps its JSON type.
     *
     * @throws NodeException code {@code expression} when the expression is invalid or fails
     */
    JsonNode evaluate(String template, Map<String, JsonNode> extraVariables) throws NodeException;

    /** Log lines recorded with the node run. */
    NodeLogger log();

    /** Reports progress between 0 and 1 with a short message, shown live in the editor. */
    void progress(double fraction, String message);

    /**
     * The decision a node that returned {@link NodeResult#waiting(WaitRequest)} was waiting for:
     * present when the engine calls the node again to finish it, empty on a normal run. A node given
     * a decision it refuses throws {@link DecisionException}; it then keeps waiting.
     *
     * @since 1.1
     */
    default Optional<Decision> decision() {
        return Optional.empty();
    }

    /** Whether the execution or node was cancelled or timed out. */
    boolean isCancelled();

    /** Throws {@link CancellationException} if {@link #isCancelled()}. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("node " + nodeId() + " was cancelled");
        }
    }
}

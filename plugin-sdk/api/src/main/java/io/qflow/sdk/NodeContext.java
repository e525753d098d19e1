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

    /**
     * The blob store, for binary and large data: put bytes there and emit {@link BlobRef#toJson()};
     * read a received {@link BlobRef} with {@link BlobStore#open(BlobRef)}.
     *
     * @throws UnsupportedOperationException when the platform offers no blob store
     * @since 1.1
     */
    default BlobStore blobs() {
        throw new UnsupportedOperationException("this platform offers no blob store");
    }

    /**
     * Runs another stored workflow as a child execution (a sub-workflow) and returns its outputs:
     * {@code {"<sinkNodeId>": {"<port>": value}}}, the outputs object of the child execution.
     *
     * <p>Blocks the calling (virtual) thread until the child finishes; a child that waits for a
     * decision counts as still running. May be called from several threads of the same node at
     * once (a for-each running items concurrently). Honours cancellation: when the calling node is
     * cancelled or times out, or the calling thread is interrupted, the child is cancelled and a
     * {@link CancellationException} is thrown.
     *
     * @param workflowId the stored workflow to run
     * @param input      the child's run input ({@code null}: {@code {}})
     * @param timeout    how long to wait for the child, {@code null} for no limit; when it passes the
     *                   child is cancelled and the call fails with code {@code workflow.timeout}
     * @throws NodeException {@code workflow.not_found} (no such workflow), {@code workflow.invalid}
     *                       (it cannot run), {@code workflow.failed} (the child failed: the message
     *                       names the child execution and its error), {@code workflow.cancelled},
     *                       {@code workflow.timeout}, {@code workflow.recursion} (the workflow is
     *                       already running in the chain of parents, or the chain is too deep), and
     *                       {@code workflow.unsupported} where the platform cannot run workflows
     * @since 1.1
     */
    default JsonNode runWorkflow(String workflowId, JsonNode input, java.time.Duration timeout) throws NodeException {
        throw new NodeException("workflow.unsupported", "this platform cannot run sub-workflows (workflow '" + workflowId + "')",
                false, null);
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

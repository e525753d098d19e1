package io.qflow.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One kind of node. Plugins register implementations as OSGi services (a Declarative Services
 * component per node type); the engine looks the service up by {@code descriptor().type()} each
 * time a node starts, so an updated plugin takes effect for the next node run.
 *
 * <p>Threading: {@link #execute(NodeContext)} is called concurrently from many executions, each call
 * on a virtual thread. It may block (I/O, sleeps) and must honour cancellation: blocking calls
 * that throw {@link InterruptedException} should let it propagate, and long loops should call
 * {@link NodeContext#checkCancelled()}. Keep per-invocation state in local variables. A type whose
 * nodes never block can say so ({@link #nonBlocking}); the engine may then run them on a thread it
 * already has.
 */
@ConsumerType
public interface NodeType {

    /** The node's descriptor. Called often: return a constant. */
    NodeDescriptor descriptor();

    /**
     * The node's ports for a given configuration. The default returns the descriptor's ports;
     * override when ports depend on config (a Switch's cases). Must be fast and must not throw
     * for config that fails the schema: return the descriptor's ports instead.
     */
    default NodePorts ports(JsonNode config) {
        return descriptor().ports();
    }

    /**
     * Whether a node with this configuration starts as soon as the first of its incoming connections
     * delivers a value (first arrival), instead of waiting until every incoming connection has
     * delivered or been skipped (wait for all, the default). Values that arrive after it started are
     * ignored and noted in its log. A Merge in mode {@code first} answers true. Must be fast and must
     * not throw for config that fails the schema.
     *
     * @since 1.1
     */
    default boolean startsOnFirstInput(JsonNode config) {
        return false;
    }

    /**
     * Whether a node with this configuration only computes: {@link #execute} returns after a short
     * burst of CPU work on its inputs and config, without I/O, sleeping, waiting for locks or other
     * threads, or running sub-workflows ({@link NodeContext#runWorkflow}). The engine then may run it
     * on a thread that must not be held up for long, such as that of a caller waiting for the
     * execution's outcome with a timeout, instead of starting a thread for it. A node that blocks
     * although its type says it does not can delay such a caller past its timeout. The default
     * answers false, which is always safe. Must be fast and must not throw for config that fails the
     * schema; the config is the node's as written in the workflow, expressions not yet evaluated.
     *
     * @since 1.2
     */
    default boolean nonBlocking(JsonNode config) {
        return false;
    }

    /**
     * Runs one invocation.
     *
     * @return values by output port; emitting on a subset of ports skips what hangs off the others
     * @throws NodeException for an expected failure, with a code and a retryable flag
     * @throws InterruptedException when cancelled while blocked
     * @throws Exception anything else, recorded with its stack trace
     */
    NodeResult execute(NodeContext context) throws Exception;
}

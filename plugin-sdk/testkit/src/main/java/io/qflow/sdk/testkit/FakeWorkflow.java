package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stand-in for a stored workflow in a {@link NodeHarness}: what {@code NodeContext.runWorkflow}
 * returns for its id. Called on the thread that calls {@code runWorkflow} (several at once when a
 * node runs items concurrently).
 *
 * @since 1.1
 */
@FunctionalInterface
public interface FakeWorkflow {

    /**
     * Runs the fake workflow.
     *
     * @param input the child's run input ({@code {}} when the node gave none)
     * @return the child's outputs, {@code {"<sinkNodeId>": {"<port>": value}}}
     * @throws Exception a failure of the child: a {@code NodeException} whose code starts with
     *                   {@code workflow.} reaches the node as it is, anything else as a
     *                   {@code workflow.failed} NodeException, as the engine reports a failed child
     */
    JsonNode run(JsonNode input) throws Exception;
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.NodeException;
import java.time.Duration;

/** What the nodes that run sub-workflows share. */
final class SubWorkflows {

    /** A sub-workflow run may take at most a day. */
    static final long MAX_TIMEOUT_SECONDS = 86_400;

    private SubWorkflows() {
    }

    /** {@code timeoutSeconds} of the config, or null (no limit). */
    static Duration timeout(NodeConfig config) throws NodeException {
        long seconds = config.integer("timeoutSeconds", 0, 1, MAX_TIMEOUT_SECONDS);
        return seconds == 0 ? null : Duration.ofSeconds(seconds);
    }

    /** The value at {@code "nodeId.port"} of a sub-workflow's outputs, or a MissingNode. */
    static JsonNode at(JsonNode outputs, String nodeAndPort) {
        int dot = nodeAndPort.indexOf('.');
        if (dot < 0) {
            return outputs.path(nodeAndPort);
        }
        return outputs.path(nodeAndPort.substring(0, dot)).path(nodeAndPort.substring(dot + 1));
    }
}

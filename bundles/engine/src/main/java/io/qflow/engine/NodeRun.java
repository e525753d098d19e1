package io.qflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The record of one node in one execution.
 *
 * @param nodeId     the node's id in the workflow
 * @param type       its node type id
 * @param status     current status
 * @param attempts   how many times it was started (0 while pending)
 * @param startedAt  when the last attempt started, or null
 * @param finishedAt when it reached a final status, or null
 * @param inputs     values received, by input port
 * @param outputs    values emitted, by output port
 * @param logs       log lines of every attempt
 * @param error      the failure, if it failed
 * @param cached     whether its outputs were served from the node result cache instead of running it
 */
public record NodeRun(
        String nodeId,
        String type,
        NodeRunStatus status,
        int attempts,
        Instant startedAt,
        Instant finishedAt,
        ObjectNode inputs,
        ObjectNode outputs,
        List<LogLine> logs,
        ErrorInfo error,
        boolean cached) {

    public NodeRun {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    /** A node run that was not served from the cache. */
    public NodeRun(String nodeId, String type, NodeRunStatus status, int attempts, Instant startedAt,
                   Instant finishedAt, ObjectNode inputs, ObjectNode outputs, List<LogLine> logs, ErrorInfo error) {
        this(nodeId, type, status, attempts, startedAt, finishedAt, inputs, outputs, logs, error, false);
    }
}

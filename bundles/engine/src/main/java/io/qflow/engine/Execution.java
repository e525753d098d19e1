package io.qflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One run of a workflow, as stored.
 *
 * @param id              execution id (a UUID string)
 * @param workflowId      the workflow that ran
 * @param workflowVersion the version of the workflow document that ran
 * @param status          current status
 * @param trigger         what started it: {@code manual}, or a trigger node type
 * @param input           the run's input (what {@code core.input} nodes emit)
 * @param createdAt       when it was accepted
 * @param startedAt       when it started running, or null
 * @param finishedAt      when it reached a final status, or null
 * @param outputs         values of its sink nodes: {@code {"<nodeId>": {"<port>": value}}}
 * @param error           why it failed, or null
 * @param nodes           one record per node, in workflow order (empty in summaries)
 */
public record Execution(
        String id,
        String workflowId,
        int workflowVersion,
        ExecutionStatus status,
        String trigger,
        JsonNode input,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        ObjectNode outputs,
        ErrorInfo error,
        List<NodeRun> nodes) {

    public Execution {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}

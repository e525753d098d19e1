package io.qflow.engine.internal.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An execution as one JSON document for the {@link OutcomeJournal}, written field by field: every
 * run-and-wait answer of a batched workflow writes one, and Jackson's bean serialisation by
 * reflection (with Java time's decimal instants) cost about twice as much. Instants are {@code
 * [epochSecond, nano]}, exact; JSON values (input, outputs, node inputs and outputs) are written
 * as they are and read back as trees, so numbers come back as JSON says them (as from the store).
 */
final class OutcomeCodec {

    private final ObjectMapper json;

    OutcomeCodec(ObjectMapper json) {
        this.json = json;
    }

    /** The execution as UTF-8 JSON, after {@code headerBytes} zero bytes the caller fills in. */
    byte[] write(Execution execution, int headerBytes) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(2048);
        for (int i = 0; i < headerBytes; i++) {
            out.append(0);
        }
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", execution.id());
            g.writeStringField("workflowId", execution.workflowId());
            g.writeNumberField("workflowVersion", execution.workflowVersion());
            g.writeStringField("status", execution.status().name());
            g.writeStringField("trigger", execution.trigger());
            tree(g, "input", execution.input());
            instant(g, "createdAt", execution.createdAt());
            instant(g, "startedAt", execution.startedAt());
            instant(g, "finishedAt", execution.finishedAt());
            tree(g, "outputs", execution.outputs());
            error(g, "error", execution.error());
            g.writeArrayFieldStart("nodes");
            for (NodeRun run : execution.nodes()) {
                g.writeStartObject();
                g.writeStringField("nodeId", run.nodeId());
                g.writeStringField("type", run.type());
                g.writeStringField("status", run.status().name());
                g.writeNumberField("attempts", run.attempts());
                instant(g, "startedAt", run.startedAt());
                instant(g, "finishedAt", run.finishedAt());
                tree(g, "inputs", run.inputs());
                tree(g, "outputs", run.outputs());
                g.writeArrayFieldStart("logs");
                for (LogLine line : run.logs()) {
                    g.writeStartObject();
                    instant(g, "time", line.time());
                    g.writeStringField("level", line.level());
                    g.writeStringField("message", line.message());
                    g.writeEndObject();
                }
                g.writeEndArray();
                error(g, "error", run.error());
                g.writeBooleanField("cached", run.cached());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** The execution {@link #write} wrote (without the header). */
    Execution read(byte[] bytes) throws IOException {
        JsonNode root = json.readTree(bytes);
        List<NodeRun> nodes = new ArrayList<>();
        for (JsonNode run : root.path("nodes")) {
            List<LogLine> logs = new ArrayList<>();
            for (JsonNode line : run.path("logs")) {
                logs.add(new LogLine(instant(line.get("time")), text(line, "level"), text(line, "message")));
            }
            nodes.add(new NodeRun(text(run, "nodeId"), text(run, "type"), NodeRunStatus.valueOf(text(run, "status")),
                    run.path("attempts").intValue(), instant(run.get("startedAt")), instant(run.get("finishedAt")),
                    object(run.get("inputs")), object(run.get("outputs")), logs, error(run.get("error")),
                    run.path("cached").booleanValue()));
        }
        return new Execution(text(root, "id"), text(root, "workflowId"), root.path("workflowVersion").intValue(),
                ExecutionStatus.valueOf(text(root, "status")), text(root, "trigger"), value(root.get("input")),
                instant(root.get("createdAt")), instant(root.get("startedAt")), instant(root.get("finishedAt")),
                object(root.get("outputs")), error(root.get("error")), nodes);
    }

    private void tree(JsonGenerator g, String field, JsonNode value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            json.writeTree(g, value);
        }
    }

    private static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            g.writeNumber(value.getEpochSecond());
            g.writeNumber(value.getNano());
            g.writeEndArray();
        }
    }

    private static void error(JsonGenerator g, String field, ErrorInfo error) throws IOException {
        g.writeFieldName(field);
        if (error == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("message", error.message());
        g.writeStringField("type", error.type());
        g.writeStringField("code", error.code());
        g.writeStringField("stack", error.stack());
        g.writeStringField("nodeId", error.nodeId());
        g.writeEndObject();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.textValue();
    }

    private static JsonNode value(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static ObjectNode object(JsonNode node) {
        return node instanceof ObjectNode object ? object : null;
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.ofEpochSecond(node.get(0).longValue(), node.get(1).intValue());
    }

    private static ErrorInfo error(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new ErrorInfo(text(node, "message"), text(node, "type"), text(node, "code"), text(node, "stack"), text(node, "nodeId"));
    }
}

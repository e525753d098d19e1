package io.qflow.engine.internal.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionJsonModule;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.spi.ExecutionRepository.JsonSpans;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An execution as one JSON document for the {@link OutcomeJournal}: the execution's JSON form,
 * written by the engine's {@link ExecutionJsonModule} (every run-and-wait answer of a batched
 * workflow writes one, and Jackson's bean serialisation by reflection cost about twice as much).
 * JSON values (input, outputs, node inputs and outputs) are read back as trees, so numbers come
 * back as JSON says them (as from the store). Records journaled before 1.5 of the engine wrote
 * instants as {@code [epochSecond, nano]} and statuses in capitals; a journal left by such a
 * runtime is read all the same.
 */
final class OutcomeCodec {

    private final ObjectMapper json;
    private final ObjectWriter writer;

    OutcomeCodec(ObjectMapper json) {
        this.json = json;
        this.writer = json.copy().registerModule(new ExecutionJsonModule()).writerFor(Execution.class);
    }

    /** An execution as UTF-8 JSON and where its values for the store are in it (null if unknown). */
    record Encoded(byte[] json, JsonSpans spans) {
    }

    /** The execution as UTF-8 JSON, noting where its values for the store are as they are written. */
    Encoded write(Execution execution) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(2048);
        TopLevelSpans spans;
        try (JsonGenerator generator = writer.createGenerator(out)) {
            spans = new TopLevelSpans(generator, out);
            writer.writeValue(spans, execution);
        }
        byte[] json = out.toByteArray();
        return new Encoded(json, spans.spans(json));
    }

    /** The execution {@link #write} wrote. */
    Execution read(byte[] bytes) throws IOException {
        JsonNode root = json.readTree(bytes);
        List<NodeRun> nodes = new ArrayList<>();
        for (JsonNode run : root.path("nodes")) {
            List<LogLine> logs = new ArrayList<>();
            for (JsonNode line : run.path("logs")) {
                logs.add(new LogLine(instant(line.get("time")), text(line, "level"), text(line, "message")));
            }
            nodes.add(new NodeRun(text(run, "nodeId"), text(run, "type"), NodeRunStatus.fromJson(text(run, "status")),
                    run.path("attempts").intValue(), instant(run.get("startedAt")), instant(run.get("finishedAt")),
                    object(run.get("inputs")), object(run.get("outputs")), logs, error(run.get("error")),
                    run.path("cached").booleanValue()));
        }
        return new Execution(text(root, "id"), text(root, "workflowId"), root.path("workflowVersion").intValue(),
                ExecutionStatus.fromJson(text(root, "status")), text(root, "trigger"), value(root.get("input")),
                instant(root.get("createdAt")), instant(root.get("startedAt")), instant(root.get("finishedAt")),
                object(root.get("outputs")), error(root.get("error")), nodes);
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
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isArray() ? Instant.ofEpochSecond(node.get(0).longValue(), node.get(1).intValue()) : Instant.parse(node.textValue());
    }

    private static ErrorInfo error(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new ErrorInfo(text(node, "message"), text(node, "type"), text(node, "code"), text(node, "stack"), text(node, "nodeId"));
    }
}

package io.qflow.engine.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.spi.ExecutionRepository.JsonSpans;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the journal's codec says the store's values are is exactly each top-level value: the bytes
 * of the span read as one JSON value (nothing before or after it) equal to the document's.
 */
class TopLevelSpansTest {

    private static final ObjectMapper JSON = OutcomeJournal.newObjectMapper();
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

    @Test
    void eachSpanIsTheTopLevelValueWithNothingAroundIt() throws Exception {
        for (Execution execution : executions()) {
            assertSpansFit(new OutcomeCodec(JSON).write(execution));
        }
    }

    @Test
    void aPrettyPrintingMapperMovesTheValuesAndTheSpansFollow() throws Exception {
        ObjectMapper indenting = OutcomeJournal.newObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (Execution execution : executions()) {
            OutcomeCodec.Encoded encoded = new OutcomeCodec(indenting).write(execution);
            assertEquals('\n', (char) encoded.json()[1], "indented output");
            assertSpansFit(encoded);
        }
    }

    @Test
    void aRecordLongerThanTheGeneratorsBufferKeepsItsSpans() throws Exception {
        ObjectNode big = JSON.createObjectNode();
        for (int i = 0; i < 2_000; i++) {
            big.put("field" + i, "value ✓ " + i); // past Jackson's 8,000-byte output buffer: flushed while written
        }
        Execution execution = new Execution("ex-big", "wf", 1, ExecutionStatus.SUCCEEDED, "manual", big, T0, T0, T0,
                big, null, List.of(new NodeRun("a", "t", NodeRunStatus.SUCCEEDED, 1, T0, T0, big, big, List.of(), null, false)));
        OutcomeCodec.Encoded encoded = new OutcomeCodec(JSON).write(execution);
        assertEquals(true, encoded.json().length > 100_000);
        assertSpansFit(encoded);
    }

    private static void assertSpansFit(OutcomeCodec.Encoded encoded) throws Exception {
        byte[] json = encoded.json();
        JsonSpans spans = encoded.spans();
        assertNotNull(spans, "the codec knows where the values are");
        JsonNode document = JSON.readTree(json);
        assertFits(json, spans.inputStart(), spans.inputEnd(), document.get("input"));
        assertFits(json, spans.outputsStart(), spans.outputsEnd(), document.get("outputs"));
        assertFits(json, spans.errorStart(), spans.errorEnd(), document.get("error"));
        assertFits(json, spans.nodesStart(), spans.nodesEnd(), document.get("nodes"));
    }

    private static void assertFits(byte[] json, int start, int end, JsonNode expected) throws Exception {
        String text = new String(json, start, end - start, StandardCharsets.UTF_8);
        assertEquals(text.strip(), text, "no blanks around the value");
        assertEquals(expected, STRICT.readTree(text), "the span [" + start + ", " + end + ") is the value: " + text);
    }

    private static List<Execution> executions() {
        List<Execution> all = new ArrayList<>();
        ObjectNode tricky = JSON.createObjectNode();
        tricky.put("input", "a field named like a top-level one").put("nodes", "}],\"error\":{").put("text", "naïve ✓ \"quoted\"");
        tricky.putArray("list").add(1).add(2.5).addNull();
        ObjectNode outputs = JSON.createObjectNode();
        outputs.set("out", tricky);
        ErrorInfo error = new ErrorInfo("boom: ✗", "java.lang.IllegalStateException", "node.failed", "at a\n\tat b", "in");
        all.add(new Execution("ex-1", "wf", 3, ExecutionStatus.SUCCEEDED, "webhook:/hook", tricky, T0, T0, T0.plusMillis(7),
                outputs, null, List.of(new NodeRun("in", "core.input", NodeRunStatus.SUCCEEDED, 1, T0, T0.plusNanos(999),
                        tricky, outputs, List.of(new LogLine(T0, "info", "line with\nnewline")), null, true))));
        all.add(new Execution("ex-2", "wf", 3, ExecutionStatus.FAILED, "manual", null, T0, T0, T0.plusSeconds(1), null, error,
                List.of(new NodeRun("in", "core.input", NodeRunStatus.FAILED, 2, T0, T0.plusSeconds(1), null, null, List.of(), error,
                        false))));
        all.add(new Execution("ex-3", "wf", 1, ExecutionStatus.SUCCEEDED, "manual", JSON.getNodeFactory().textNode("just text"),
                T0, T0, T0, JSON.createObjectNode(), null, List.of()));
        all.add(new Execution("ex-4", "wf", 1, ExecutionStatus.SUCCEEDED, "manual", JSON.getNodeFactory().numberNode(42),
                T0, null, null, null, null, List.of()));
        return all;
    }
}

package io.qflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written execution JSON must be byte for byte what Jackson's own serializers write. */
class ExecutionJsonModuleTest {

    /** Beans by reflection, instants by JavaTimeModule: what the REST API and the store wrote before the module. */
    private static final ObjectMapper REFERENCE = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    private static final ObjectMapper WITH_MODULE = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new ExecutionJsonModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    @Test
    void instantsReadAsIsoInstantDoesAcrossTheRangeAndItsEdges() {
        Random random = new Random(42);
        List<Instant> edges = List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 999_999_999),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("0000-12-31T23:59:59.5Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2026-11-22T07:37:45.095545Z"),
                Instant.parse("2026-11-22T07:37:45.000000001Z"), Instant.MIN, Instant.MAX);
        for (Instant instant : edges) {
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), ExecutionJsonModule.iso(instant));
        }
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-80_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), ExecutionJsonModule.iso(instant), instant::toString);
        }
    }

    @Test
    void theModuleReplacesJacksonsSerializersOfTheRecordsAndInstants() throws Exception {
        // otherwise the comparison below would compare Jackson with itself
        for (Class<?> type : List.of(Execution.class, NodeRun.class, Instant.class)) {
            assertEquals(ExecutionJsonModule.class,
                    WITH_MODULE.getSerializerProviderInstance().findValueSerializer(type).getClass().getEnclosingClass(), type.getName());
        }
    }

    @Test
    void executionsAndNodeRunsAreWrittenAsJacksonsBeanSerializerWritesThem() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T07:37:45.095545Z");
        ObjectNode in = (ObjectNode) REFERENCE.readTree("{\"in\":{\"a\":2,\"name\":\"é ✓ \\u0001\",\"list\":[1,2.5,null,true]}}");
        NodeRun done = new NodeRun("shape", "core.set", NodeRunStatus.SUCCEEDED, 1, t0, t0.plusNanos(1_000),
                in, (ObjectNode) REFERENCE.readTree("{\"out\":{\"sum\":5}}"),
                List.of(new LogLine(t0.plusMillis(1), "info", "hello \"you\""), new LogLine(null, null, null)), null, false);
        NodeRun failed = new NodeRun("b", "core.http.request", NodeRunStatus.FAILED, 3, t0, null, null, null, List.of(),
                new ErrorInfo("boom", "IOException", "node.failed", "at x(X.java:1)\n\tat y", "b"), true);
        NodeRun pending = new NodeRun("c", "core.noop", NodeRunStatus.PENDING, 0, null, null, null, null, null, null);
        List<Execution> executions = List.of(
                new Execution("01a2", "wf", 3, ExecutionStatus.SUCCEEDED, "manual", REFERENCE.readTree("{\"a\":2}"), t0, t0,
                        t0.plusSeconds(1), (ObjectNode) REFERENCE.readTree("{\"shape\":{\"out\":{\"sum\":5}}}"), null,
                        List.of(done, failed, pending)),
                new Execution("01a3", "wf", 1, ExecutionStatus.FAILED, "webhook", REFERENCE.readTree("\"text\""), t0, null, null,
                        null, new ErrorInfo("it failed", null, null, null, null), List.of()),
                new Execution("01a5", "wf", 1, ExecutionStatus.FAILED, "manual", null, t0, t0, t0, null,
                        new ErrorInfo(null, "java.lang.IllegalStateException", "node.failed", null, "b"), List.of(failed)),
                new Execution("01a4", "wf", 1, ExecutionStatus.WAITING, "retry:01a3", null, t0, t0, null, null, null,
                        List.of(pending)));
        for (Execution execution : executions) {
            assertEquals(REFERENCE.writeValueAsString(execution), WITH_MODULE.writeValueAsString(execution));
        }
        Map<String, Object> page = Map.of("items", executions, "next", "01a4");
        assertEquals(REFERENCE.writeValueAsString(page), WITH_MODULE.writeValueAsString(page));
        assertEquals(REFERENCE.writeValueAsString(done), WITH_MODULE.writeValueAsString(done));
    }
}

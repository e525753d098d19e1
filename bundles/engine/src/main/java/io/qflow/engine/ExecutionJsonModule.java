package io.qflow.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The JSON form of executions: a Jackson module that writes {@link Execution}, {@link NodeRun} and
 * {@link Instant} field by field, byte for byte as Jackson's bean serializers and JavaTimeModule
 * (with {@code WRITE_DATES_AS_TIMESTAMPS} off) write them, which is the form the REST API shows.
 * Register it after JavaTimeModule, whose Instant serializer it replaces.
 *
 * <p>Every run-and-wait answer, every stored batched run and every journaled outcome is one
 * execution written this way: by reflection, with each instant through {@link DateTimeFormatter},
 * the same JSON cost about twice as much. A new component of these records must be written here
 * too (ExecutionJsonModuleTest compares the output with Jackson's own).
 *
 * @since 1.5
 */
public final class ExecutionJsonModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: years with four digits and no sign. */
    private static final long FAST_FROM = -62_135_596_800L;
    private static final long FAST_UNTIL = 253_402_300_800L;

    public ExecutionJsonModule() {
        super("qflow-execution-json");
        addSerializer(Instant.class, new InstantSerializer());
        addSerializer(Execution.class, new ExecutionSerializer());
        addSerializer(NodeRun.class, new NodeRunSerializer());
    }

    /** {@link DateTimeFormatter#ISO_INSTANT}'s text: seconds always, the fraction in groups of three digits as needed. */
    public static String iso(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FAST_FROM || seconds >= FAST_UNTIL) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        int nano = instant.getNano();
        char[] text = new char[30];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int end = 19;
        if (nano != 0) {
            text[end++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(text, end, nano / 1_000_000, 3);
                end += 3;
            } else if (nano % 1_000 == 0) {
                digits(text, end, nano / 1_000, 6);
                end += 6;
            } else {
                digits(text, end, nano, 9);
                end += 9;
            }
        }
        text[end++] = 'Z';
        return new String(text, 0, end);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void instant(JsonGenerator gen, String name, Instant value) throws IOException {
        if (value == null) {
            gen.writeNullField(name);
        } else {
            gen.writeStringField(name, iso(value));
        }
    }

    private static void tree(JsonGenerator gen, SerializerProvider provider, String name, JsonNode value)
            throws IOException {
        gen.writeFieldName(name);
        if (value == null) {
            gen.writeNull();
        } else {
            value.serialize(gen, provider);
        }
    }

    /** {@link ErrorInfo} is {@code NON_NULL}: absent fields are left out. */
    private static void error(JsonGenerator gen, ErrorInfo error) throws IOException {
        gen.writeFieldName("error");
        if (error == null) {
            gen.writeNull();
            return;
        }
        gen.writeStartObject(error);
        optional(gen, "message", error.message());
        optional(gen, "type", error.type());
        optional(gen, "code", error.code());
        optional(gen, "stack", error.stack());
        optional(gen, "nodeId", error.nodeId());
        gen.writeEndObject();
    }

    private static void optional(JsonGenerator gen, String name, String value) throws IOException {
        if (value != null) {
            gen.writeStringField(name, value);
        }
    }

    private static final class InstantSerializer extends StdSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(iso(value));
        }
    }

    private static final class ExecutionSerializer extends StdSerializer<Execution> {
        ExecutionSerializer() {
            super(Execution.class);
        }

        @Override
        public void serialize(Execution e, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject(e);
            gen.writeStringField("id", e.id());
            gen.writeStringField("workflowId", e.workflowId());
            gen.writeNumberField("workflowVersion", e.workflowVersion());
            gen.writeStringField("status", e.status() == null ? null : e.status().json()); // null: JSON null
            gen.writeStringField("trigger", e.trigger());
            tree(gen, provider, "input", e.input());
            instant(gen, "createdAt", e.createdAt());
            instant(gen, "startedAt", e.startedAt());
            instant(gen, "finishedAt", e.finishedAt());
            tree(gen, provider, "outputs", e.outputs());
            error(gen, e.error());
            gen.writeFieldName("nodes");
            if (e.nodes() == null) {
                gen.writeNull();
            } else {
                gen.writeStartArray();
                for (NodeRun run : e.nodes()) {
                    NodeRunSerializer.write(run, gen, provider);
                }
                gen.writeEndArray();
            }
            gen.writeEndObject();
        }
    }

    private static final class NodeRunSerializer extends StdSerializer<NodeRun> {
        NodeRunSerializer() {
            super(NodeRun.class);
        }

        @Override
        public void serialize(NodeRun run, JsonGenerator gen, SerializerProvider provider) throws IOException {
            write(run, gen, provider);
        }

        static void write(NodeRun run, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (run == null) {
                gen.writeNull();
                return;
            }
            gen.writeStartObject(run);
            gen.writeStringField("nodeId", run.nodeId());
            gen.writeStringField("type", run.type());
            gen.writeStringField("status", run.status() == null ? null : run.status().json());
            gen.writeNumberField("attempts", run.attempts());
            instant(gen, "startedAt", run.startedAt());
            instant(gen, "finishedAt", run.finishedAt());
            tree(gen, provider, "inputs", run.inputs());
            tree(gen, provider, "outputs", run.outputs());
            gen.writeArrayFieldStart("logs");
            for (LogLine line : run.logs()) {
                gen.writeStartObject(line);
                instant(gen, "time", line.time());
                gen.writeStringField("level", line.level());
                gen.writeStringField("message", line.message());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            error(gen, run.error());
            gen.writeBooleanField("cached", run.cached());
            gen.writeEndObject();
        }
    }
}

package io.qflow.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.ExecutionJsonModule;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Converts between record fields and columns: JSON values as text, instants as timestamps with time zone. */
final class ColumnCodec {

    private static final TypeReference<List<LogLine>> LOG_LINES = new TypeReference<>() { };
    private static final TypeReference<List<NodeRun>> NODE_RUNS = new TypeReference<>() { };

    private final ObjectMapper mapper;

    /**
     * @param mapper a mapper with Jackson's JavaTimeModule; a copy with the engine's {@link ExecutionJsonModule}
     *               writes node runs: the same JSON as Jackson's bean serializers, by the one writer of the
     *               execution's JSON form that the REST answers and the outcome journal use too
     */
    ColumnCodec(ObjectMapper mapper) {
        this.mapper = mapper.copy().registerModule(new ExecutionJsonModule());
    }

    /*
     * Both databases keep microseconds. Truncating here (rather than letting each database round
     * in its own way) gives the same instant back from H2 and PostgreSQL.
     */
    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    void setJson(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, write(value));
        }
    }

    /** The JSON text of a value, or null for null; for binding later with {@link #setJsonText}. */
    String jsonOrNull(Object value) {
        return value == null ? null : write(value);
    }

    /** Binds JSON text made by {@link #jsonOrNull} (null as SQL NULL). */
    static void setJsonText(PreparedStatement statement, int index, String json) throws SQLException {
        if (json == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, json);
        }
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    JsonNode getJson(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        return text == null ? null : read(text, JsonNode.class);
    }

    ObjectNode getObject(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        return text == null ? null : read(text, ObjectNode.class);
    }

    ErrorInfo getError(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        return text == null ? null : read(text, ErrorInfo.class);
    }

    List<LogLine> getLogs(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        if (text == null) {
            return List.of();
        }
        try {
            return mapper.readValue(text, LOG_LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored " + column + " is not valid JSON", e);
        }
    }

    /**
     * Node runs as one JSON array, their times cut to microseconds like {@link #setInstant}'s, so a
     * node run reads back the same from its row or from an array.
     */
    String writeNodeRuns(List<NodeRun> runs) {
        List<NodeRun> micros = new java.util.ArrayList<>(runs.size());
        for (NodeRun run : runs) {
            // The engine's own times are microseconds already: copy only a run that needs cutting.
            micros.add(inMicros(run.startedAt()) && inMicros(run.finishedAt()) ? run
                    : new NodeRun(run.nodeId(), run.type(), run.status(), run.attempts(), micros(run.startedAt()),
                    micros(run.finishedAt()), run.inputs(), run.outputs(), run.logs(), run.error(), run.cached()));
        }
        return write(micros);
    }

    /** Whether every node run's times are microseconds already, as {@link #writeNodeRuns} would leave them. */
    static boolean nodeTimesInMicros(List<NodeRun> runs) {
        for (NodeRun run : runs) {
            if (!inMicros(run.startedAt()) || !inMicros(run.finishedAt())) {
                return false;
            }
        }
        return true;
    }

    private static boolean inMicros(Instant instant) {
        return instant == null || instant.getNano() % 1_000 == 0;
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Node runs written as one JSON array by {@link #writeNodeRuns}. */
    List<NodeRun> readNodeRuns(String text) {
        try {
            return mapper.readValue(text, NODE_RUNS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored node runs are not valid JSON", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored value is not valid JSON for " + type.getSimpleName(), e);
        }
    }
}

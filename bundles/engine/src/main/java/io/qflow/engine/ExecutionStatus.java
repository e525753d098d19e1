package io.qflow.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Status of an execution. Written lower-case in JSON and the database. */
public enum ExecutionStatus {
    QUEUED, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED;

    /** Whether the execution has ended and will not change by itself any more. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ExecutionStatus fromJson(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}

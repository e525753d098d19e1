package io.qflow.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Status of one node inside an execution. Written lower-case ({@code timed_out}) in JSON and the database. */
public enum NodeRunStatus {
    PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, SKIPPED, CANCELLED, TIMED_OUT;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == CANCELLED || this == TIMED_OUT;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static NodeRunStatus fromJson(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}

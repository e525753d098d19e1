package io.qflow.engine.internal.model;

import java.util.Locale;

/** What a node failure does to the execution. */
public enum OnError {
    /** The execution fails (default). */
    FAIL,
    /** The node emits the error on its {@code error} port; the rest of its ports are skipped. */
    CONTINUE,
    /** The failure is recorded; nodes after it are skipped; the execution goes on. */
    IGNORE;

    public static OnError parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}

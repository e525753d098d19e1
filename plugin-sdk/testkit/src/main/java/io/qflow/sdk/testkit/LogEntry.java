package io.qflow.sdk.testkit;

/**
 * One line a node logged through {@link io.qflow.sdk.NodeContext#log()}.
 *
 * @param level   {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param message the message as logged
 */
public record LogEntry(String level, String message) {

    @Override
    public String toString() {
        return level + ": " + message;
    }
}

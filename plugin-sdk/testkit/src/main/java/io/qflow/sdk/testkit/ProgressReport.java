package io.qflow.sdk.testkit;

/**
 * One call of {@link io.qflow.sdk.NodeContext#progress(double, String)}.
 *
 * @param fraction between 0 and 1 as reported
 * @param message  the short message
 */
public record ProgressReport(double fraction, String message) {
}

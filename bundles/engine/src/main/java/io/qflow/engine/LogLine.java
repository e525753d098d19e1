package io.qflow.engine;

import java.time.Instant;

/** One log line of a node run. {@code level} is debug, info, warn or error. */
public record LogLine(Instant time, String level, String message) {
}

package io.qflow.python.internal;

import java.nio.file.Path;

/**
 * A Python interpreter found on the host.
 *
 * @param version {@code major.minor}
 * @param full    {@code major.minor.micro}
 * @param path    the executable
 */
public record Interpreter(String version, String full, Path path) {
}

package io.qflow.python.spi;

import java.util.List;
import java.util.Objects;

/**
 * A Python environment: an interpreter version plus a resolved, sorted list of requirements.
 *
 * @param key           stable id of (version, requirements): lowercase hex, safe as a folder or
 *                      image tag name; equal specs have equal keys, whatever the backend
 * @param pythonVersion {@code major.minor} such as {@code 3.13}
 * @param requirements  pip requirement specifiers, normalised and sorted; empty for the bare interpreter
 * @param pip           where pip installs from
 */
public record EnvironmentSpec(String key, String pythonVersion, List<String> requirements, PipOptions pip) {
    public EnvironmentSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(pythonVersion, "pythonVersion");
        requirements = List.copyOf(requirements);
        Objects.requireNonNull(pip, "pip");
    }
}

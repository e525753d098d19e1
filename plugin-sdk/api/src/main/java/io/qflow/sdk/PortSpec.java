package io.qflow.sdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A named, typed port of a node.
 *
 * @param name        port name, unique among the node's inputs (or outputs): {@code in}, {@code out}, {@code true}...
 * @param type        the values the port carries
 * @param description what the port is for, shown in the editor
 * @param required    for inputs: the workflow is invalid unless the port is connected
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortSpec(String name, DataType type, String description, boolean required) {

    public PortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("invalid port name '" + name + "'");
        }
    }

    /** An optional port. */
    public static PortSpec of(String name, DataType type, String description) {
        return new PortSpec(name, type, description, false);
    }

    /** An input port that must be connected. */
    public static PortSpec required(String name, DataType type, String description) {
        return new PortSpec(name, type, description, true);
    }
}

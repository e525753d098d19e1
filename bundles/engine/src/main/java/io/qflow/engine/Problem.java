package io.qflow.engine;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One validation problem, pointing at where it is.
 *
 * @param code    a stable code: {@code node.type.unknown}, {@code connection.type.mismatch}, {@code graph.cycle}, ...
 * @param message a sentence a user understands, naming the node, port and types involved
 * @param nodeId  the node concerned, if any
 * @param port    the port concerned, if any
 * @param field   the config field (JSON pointer) or document field concerned, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String code, String message, String nodeId, String port, String field) {

    public static Problem of(String code, String message) {
        return new Problem(code, message, null, null, null);
    }
}

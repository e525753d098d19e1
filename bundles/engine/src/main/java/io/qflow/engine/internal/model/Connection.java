package io.qflow.engine.internal.model;

/** An edge from one node's output port to another node's input port ({@code "a.out" -> "b.in"}). */
public record Connection(int index, String fromNode, String fromPort, String toNode, String toPort) {

    @Override
    public String toString() {
        return fromNode + "." + fromPort + " -> " + toNode + "." + toPort;
    }
}

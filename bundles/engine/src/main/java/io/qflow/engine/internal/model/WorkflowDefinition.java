package io.qflow.engine.internal.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow document parsed into what the engine runs: nodes, connections and settings, with
 * lookup tables built once.
 */
public final class WorkflowDefinition {

    private final String id;
    private final int version;
    private final String name;
    private final WorkflowSettings settings;
    private final List<NodeSpec> nodes;
    private final List<Connection> connections;
    private final Map<String, NodeSpec> nodesById = new HashMap<>();
    private final Map<String, List<Connection>> incoming = new HashMap<>();
    private final Map<String, List<Connection>> outgoing = new HashMap<>();

    public WorkflowDefinition(String id, int version, String name, WorkflowSettings settings,
                              List<NodeSpec> nodes, List<Connection> connections) {
        this.id = id;
        this.version = version;
        this.name = name;
        this.settings = settings;
        this.nodes = List.copyOf(nodes);
        this.connections = List.copyOf(connections);
        for (NodeSpec node : nodes) {
            nodesById.put(node.id(), node);
        }
        for (Connection c : connections) {
            incoming.computeIfAbsent(c.toNode(), k -> new ArrayList<>()).add(c);
            outgoing.computeIfAbsent(c.fromNode(), k -> new ArrayList<>()).add(c);
        }
    }

    public String id() { return id; }
    public int version() { return version; }
    public String name() { return name; }
    public WorkflowSettings settings() { return settings; }
    public List<NodeSpec> nodes() { return nodes; }
    public List<Connection> connections() { return connections; }

    public NodeSpec node(String nodeId) {
        return nodesById.get(nodeId);
    }

    public List<Connection> incoming(String nodeId) {
        return incoming.getOrDefault(nodeId, Collections.emptyList());
    }

    public List<Connection> outgoing(String nodeId) {
        return outgoing.getOrDefault(nodeId, Collections.emptyList());
    }
}

package io.qflow.engine.internal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Expressions;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.Problem;
import io.qflow.engine.internal.model.Connection;
import io.qflow.engine.internal.model.NodeSpec;
import io.qflow.engine.internal.model.OnError;
import io.qflow.engine.internal.model.WorkflowDefinition;
import io.qflow.engine.internal.model.WorkflowParser;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * Checks a workflow document against the live catalogue and reports every problem at once: the
 * document's structure, unknown node types, ports that do not exist, connections the
 * {@link DataType#accepts} rule refuses, required inputs left unconnected, cycles, configs that fail
 * their node's JSON Schema, and expressions that do not parse or name unknown variables.
 */
public final class WorkflowValidator {

    /** The type of the {@code error} port a node gets with {@code onError: continue}. */
    public static final DataType ERROR_PORT_TYPE = DataType.parse("object{message:string,type:string,code:string?,stack:string?}");
    static final Set<String> VARIABLES = Set.of("input", "in", "inputs", "nodes", "trigger", "execution", "vars", "secrets");
    /** What nodes add when they evaluate their deferred fields: for-each {@code item}/{@code index}, while {@code state}/{@code iteration}. */
    static final Set<String> ITEM_VARIABLES = Set.of("item", "index", "state", "iteration");

    /** What validation found: the parsed workflow (null if the document was not an object) and its problems. */
    public record Result(WorkflowDefinition definition, List<Problem> problems, Map<String, NodePorts> ports) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final NodeCatalog catalog;
    private final Expressions expressions;
    private final ConfigSchemas schemas;
    private final WorkflowParser parser;

    public WorkflowValidator(NodeCatalog catalog, Expressions expressions, ConfigSchemas schemas) {
        this.catalog = catalog;
        this.expressions = expressions;
        this.schemas = schemas;
        this.parser = new WorkflowParser(expressions);
    }

    public Result validate(JsonNode document, String id, int version) {
        List<Problem> problems = new ArrayList<>();
        WorkflowDefinition definition = parser.parse(document, id, version, problems);
        if (definition == null) {
            return new Result(null, problems, Map.of());
        }
        Map<String, NodePorts> ports = new HashMap<>();
        Map<String, NodeDescriptor> descriptors = new HashMap<>();
        for (NodeSpec node : definition.nodes()) {
            Optional<NodeDescriptor> descriptor = catalog.descriptor(node.type());
            if (descriptor.isEmpty()) {
                problems.add(new Problem("node.type.unknown", "node '" + node.id() + "' has unknown type '" + node.type()
                        + "' (is the plugin that provides it installed?)", node.id(), null, "/nodes/" + node.index() + "/type"));
                continue;
            }
            descriptors.put(node.id(), descriptor.get());
            ports.put(node.id(), portsOf(node, descriptor.get()));
            checkConfig(node, descriptor.get(), problems);
        }
        checkConnections(definition, ports, problems);
        checkRequiredInputs(definition, ports, problems);
        checkCycles(definition, problems);
        return new Result(definition, problems, ports);
    }

    private NodePorts portsOf(NodeSpec node, NodeDescriptor descriptor) {
        NodePorts ports = descriptor.ports();
        Optional<NodeType> type = catalog.nodeType(node.type());
        if (type.isPresent()) {
            try {
                NodePorts computed = type.get().ports(node.config());
                if (computed != null) {
                    ports = computed;
                }
            } catch (RuntimeException e) {
                // ports(config) must not throw for bad config (its contract); fall back to the descriptor's.
                ports = descriptor.ports();
            }
        }
        if (node.onError() == OnError.CONTINUE && ports.output("error").isEmpty()) {
            List<PortSpec> outputs = new ArrayList<>(ports.outputs());
            outputs.add(PortSpec.of("error", ERROR_PORT_TYPE, "the failure, when the node fails"));
            ports = new NodePorts(ports.inputs(), outputs);
        }
        return ports;
    }

    private void checkConnections(WorkflowDefinition definition, Map<String, NodePorts> ports, List<Problem> problems) {
        for (Connection c : definition.connections()) {
            NodePorts from = ports.get(c.fromNode());
            NodePorts to = ports.get(c.toNode());
            String where = "/connections/" + c.index();
            if (c.fromNode().equals(c.toNode())) {
                problems.add(new Problem("graph.cycle", "connection " + c + " connects node '" + c.fromNode() + "' to itself",
                        c.toNode(), c.toPort(), where));
                continue;
            }
            Optional<PortSpec> source = from == null ? Optional.empty() : from.output(c.fromPort());
            Optional<PortSpec> target = to == null ? Optional.empty() : to.input(c.toPort());
            if (from != null && source.isEmpty()) {
                problems.add(new Problem("connection.port.unknown", "node '" + c.fromNode() + "' has no output port '" + c.fromPort()
                        + "' (it has: " + names(from.outputs()) + ")", c.fromNode(), c.fromPort(), where + "/from"));
            }
            if (to != null && target.isEmpty()) {
                problems.add(new Problem("connection.port.unknown", "node '" + c.toNode() + "' has no input port '" + c.toPort()
                        + "' (it has: " + names(to.inputs()) + ")", c.toNode(), c.toPort(), where + "/to"));
            }
            if (source.isPresent() && target.isPresent() && !target.get().type().accepts(source.get().type())) {
                problems.add(new Problem("connection.type.mismatch", "cannot connect " + c.fromNode() + "." + c.fromPort() + " ("
                        + source.get().type() + ") to " + c.toNode() + "." + c.toPort() + " (" + target.get().type() + "): "
                        + target.get().type() + " does not accept " + source.get().type(), c.toNode(), c.toPort(), where));
            }
        }
    }

    private static String names(List<PortSpec> ports) {
        if (ports.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        for (PortSpec p : ports) {
            out.append(out.isEmpty() ? "" : ", ").append(p.name());
        }
        return out.toString();
    }

    private void checkRequiredInputs(WorkflowDefinition definition, Map<String, NodePorts> ports, List<Problem> problems) {
        for (NodeSpec node : definition.nodes()) {
            NodePorts nodePorts = ports.get(node.id());
            if (nodePorts == null) {
                continue;
            }
            Set<String> connected = new HashSet<>();
            definition.incoming(node.id()).forEach(c -> connected.add(c.toPort()));
            for (PortSpec input : nodePorts.inputs()) {
                if (input.required() && !connected.contains(input.name())) {
                    problems.add(new Problem("node.input.missing", "node '" + node.id() + "' needs its input '" + input.name()
                            + "' (" + input.type() + ") connected", node.id(), input.name(), "/nodes/" + node.index()));
                }
            }
        }
    }

    private void checkCycles(WorkflowDefinition definition, List<Problem> problems) {
        DefaultDirectedGraph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
        definition.nodes().forEach(n -> graph.addVertex(n.id()));
        for (Connection c : definition.connections()) {
            if (!c.fromNode().equals(c.toNode())) {
                graph.addEdge(c.fromNode(), c.toNode());
            }
        }
        Set<String> inCycles = new TreeSet<>(new CycleDetector<>(graph).findCycles());
        if (!inCycles.isEmpty()) {
            Iterator<String> first = inCycles.iterator();
            problems.add(new Problem("graph.cycle", "the connections form a cycle through nodes " + inCycles
                    + "; use a loop node to repeat work", first.next(), null, "/connections"));
        }
    }

    private void checkConfig(NodeSpec node, NodeDescriptor descriptor, List<Problem> problems) {
        String base = "/nodes/" + node.index() + "/config";
        ObjectNode config = node.config();
        try {
            for (ConfigSchemas.Violation v : schemas.validate(descriptor.configSchema(), config)) {
                if (v.value() != null && v.value().isTextual() && expressions.isTemplate(v.value().textValue())) {
                    continue; // the value is only known at run time; the node checks it then
                }
                if (isDeferred(descriptor, v.pointer())) {
                    continue;
                }
                problems.add(new Problem("node.config.invalid", "node '" + node.id() + "' config" + (v.pointer().isEmpty() ? "" : " "
                        + v.pointer()) + ": " + v.message(), node.id(), null, base + v.pointer()));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new Problem("node.schema.invalid", "node '" + node.id() + "': the config schema of type '" + node.type()
                    + "' is broken (" + e.getMessage() + ")", node.id(), null, base));
        }
        checkExpressions(node, descriptor, config, "", base, problems);
    }

    private static boolean isDeferred(NodeDescriptor descriptor, String pointer) {
        for (String field : descriptor.deferredConfig()) {
            if (pointer.equals("/" + field) || pointer.startsWith("/" + field + "/")) {
                return true;
            }
        }
        return false;
    }

    private void checkExpressions(NodeSpec node, NodeDescriptor descriptor, JsonNode value, String pointer, String base,
                                  List<Problem> problems) {
        if (value.isTextual()) {
            String text = value.textValue();
            if (!expressions.isTemplate(text)) {
                return;
            }
            for (String message : expressions.check(text)) {
                problems.add(new Problem("expression.invalid", "node '" + node.id() + "' config " + pointer + ": " + message,
                        node.id(), null, base + pointer));
            }
            boolean deferred = isDeferred(descriptor, pointer);
            for (String variable : expressions.variables(text)) {
                if (!VARIABLES.contains(variable) && !(deferred && ITEM_VARIABLES.contains(variable))) {
                    problems.add(new Problem("expression.variable.unknown", "node '" + node.id() + "' config " + pointer
                            + ": unknown variable '" + variable + "' (known: input, in, inputs, nodes, trigger, execution, vars, secrets"
                            + (deferred ? ", item, index, state, iteration" : "") + ")", node.id(), null, base + pointer));
                }
            }
        } else if (value.isObject()) {
            value.fields().forEachRemaining(f -> checkExpressions(node, descriptor, f.getValue(),
                    pointer + "/" + f.getKey(), base, problems));
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkExpressions(node, descriptor, value.get(i), pointer + "/" + i, base, problems);
            }
        }
    }
}

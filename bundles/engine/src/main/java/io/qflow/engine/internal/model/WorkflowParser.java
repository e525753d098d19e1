package io.qflow.engine.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Expressions;
import io.qflow.engine.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a workflow document (DESIGN.md, {@code schemaVersion: 1}) into a {@link WorkflowDefinition},
 * collecting every structural problem instead of stopping at the first. Node types, ports and
 * config are checked later by the validator, which knows the catalogue.
 */
public final class WorkflowParser {

    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private final Expressions expressions;

    public WorkflowParser(Expressions expressions) {
        this.expressions = expressions;
    }

    /**
     * Parses a document; problems are added to {@code problems}. Returns a definition built from the
     * parts that could be read (never null for an object document), so later checks can still run.
     */
    public WorkflowDefinition parse(JsonNode document, String id, int version, List<Problem> problems) {
        if (document == null || !document.isObject()) {
            problems.add(new Problem("document.invalid", "a workflow document must be a JSON object", null, null, ""));
            return null;
        }
        JsonNode schemaVersion = document.get("schemaVersion");
        if (schemaVersion != null && !(schemaVersion.isInt() && schemaVersion.intValue() == 1)) {
            problems.add(new Problem("document.schemaVersion", "schemaVersion " + schemaVersion + " is not supported; this server reads 1",
                    null, null, "/schemaVersion"));
        }
        JsonNode name = document.get("name");
        String workflowName = null;
        if (name == null || !name.isTextual() || name.textValue().isBlank()) {
            problems.add(new Problem("document.name", "the workflow needs a non-empty \"name\"", null, null, "/name"));
        } else {
            workflowName = name.textValue().trim();
        }
        WorkflowSettings settings = parseSettings(document.get("settings"), problems);
        List<NodeSpec> nodes = parseNodes(document.get("nodes"), problems);
        List<Connection> connections = parseConnections(document.get("connections"), nodes, problems);
        return new WorkflowDefinition(id, version, workflowName, settings, nodes, connections);
    }

    private WorkflowSettings parseSettings(JsonNode settings, List<Problem> problems) {
        ObjectNode vars = JsonNodeFactory.instance.objectNode();
        Long timeoutMs = null;
        int parallelism = WorkflowSettings.DEFAULT_PARALLELISM;
        if (settings == null || settings.isNull()) {
            return new WorkflowSettings(null, parallelism, vars, null, Persistence.STEPS, JsonNodeFactory.instance.objectNode());
        }
        if (!settings.isObject()) {
            problems.add(new Problem("settings.invalid", "\"settings\" must be an object", null, null, "/settings"));
            return new WorkflowSettings(null, parallelism, vars, null, Persistence.STEPS, JsonNodeFactory.instance.objectNode());
        }
        JsonNode timeout = settings.get("timeoutSeconds");
        if (timeout != null && !timeout.isNull()) {
            if (!timeout.isNumber() || timeout.doubleValue() <= 0) {
                problems.add(new Problem("settings.timeoutSeconds", "settings.timeoutSeconds must be a positive number, not " + timeout,
                        null, null, "/settings/timeoutSeconds"));
            } else {
                timeoutMs = Math.round(timeout.doubleValue() * 1000);
            }
        }
        JsonNode max = settings.get("maxParallelism");
        if (max != null && !max.isNull()) {
            if (!max.canConvertToInt() || !max.isIntegralNumber() || max.intValue() < 1 || max.intValue() > 1024) {
                problems.add(new Problem("settings.maxParallelism", "settings.maxParallelism must be an integer from 1 to 1024, not " + max,
                        null, null, "/settings/maxParallelism"));
            } else {
                parallelism = max.intValue();
            }
        }
        JsonNode varsNode = settings.get("vars");
        if (varsNode != null && !varsNode.isNull()) {
            if (varsNode instanceof ObjectNode object) {
                vars = object;
            } else {
                problems.add(new Problem("settings.vars", "settings.vars must be an object", null, null, "/settings/vars"));
            }
        }
        String errorWorkflow = null;
        JsonNode errorNode = settings.get("errorWorkflow");
        if (errorNode != null && !errorNode.isNull()) {
            if (errorNode.isTextual() && NODE_ID.matcher(errorNode.textValue()).matches()) {
                errorWorkflow = errorNode.textValue();
            } else if (errorNode.isTextual() && isUuid(errorNode.textValue())) {
                errorWorkflow = errorNode.textValue(); // generated workflow ids are UUIDs
            } else {
                problems.add(new Problem("settings.errorWorkflow", "settings.errorWorkflow must be a workflow id, not " + errorNode,
                        null, null, "/settings/errorWorkflow"));
            }
        }
        Persistence persistence = Persistence.STEPS;
        JsonNode persistenceNode = settings.get("persistence");
        if (persistenceNode != null && !persistenceNode.isNull()) {
            Optional<Persistence> chosen = persistenceNode.isTextual() ? Persistence.ofJson(persistenceNode.textValue()) : Optional.empty();
            if (chosen.isPresent()) {
                persistence = chosen.get();
            } else {
                problems.add(new Problem("settings.persistence", "settings.persistence must be \"steps\" or \"batched\", not "
                        + persistenceNode, null, null, "/settings/persistence"));
            }
        }
        ObjectNode pythonSettings = JsonNodeFactory.instance.objectNode();
        JsonNode python = settings.get("python");
        if (python != null && !python.isNull()) {
            PythonSettingsRules.check(python, problems);
            if (python instanceof ObjectNode object) {
                pythonSettings = object.deepCopy();
            }
        }
        return new WorkflowSettings(timeoutMs, parallelism, vars, errorWorkflow, persistence, pythonSettings);
    }

    private static boolean isUuid(String text) {
        try {
            java.util.UUID.fromString(text);
            return text.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private List<NodeSpec> parseNodes(JsonNode nodesNode, List<Problem> problems) {
        List<NodeSpec> nodes = new ArrayList<>();
        if (nodesNode == null || !nodesNode.isArray()) {
            problems.add(new Problem("document.nodes", "the workflow needs a \"nodes\" array", null, null, "/nodes"));
            return nodes;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < nodesNode.size(); i++) {
            JsonNode node = nodesNode.get(i);
            String where = "/nodes/" + i;
            if (!node.isObject()) {
                problems.add(new Problem("node.invalid", "node #" + i + " must be an object", null, null, where));
                continue;
            }
            String id = text(node, "id");
            if (id == null || !NODE_ID.matcher(id).matches()) {
                problems.add(new Problem("node.id", "node #" + i + " needs an \"id\" of letters, digits, '-' or '_' (starting with a letter, at most 64), not "
                        + node.get("id"), null, null, where + "/id"));
                continue;
            }
            if (!seen.add(id)) {
                problems.add(new Problem("node.id.duplicate", "node id '" + id + "' is used more than once", id, null, where + "/id"));
                continue;
            }
            String type = text(node, "type");
            if (type == null || type.isBlank()) {
                problems.add(new Problem("node.type", "node '" + id + "' needs a \"type\"", id, null, where + "/type"));
                continue;
            }
            ObjectNode config = JsonNodeFactory.instance.objectNode();
            JsonNode configNode = node.get("config");
            if (configNode != null && !configNode.isNull()) {
                if (configNode instanceof ObjectNode object) {
                    config = object;
                } else {
                    problems.add(new Problem("node.config", "node '" + id + "': \"config\" must be an object", id, null, where + "/config"));
                }
            }
            RetryPolicy retry = parseRetry(id, node.get("retry"), where + "/retry", problems);
            Long timeoutMs = parseTimeout(id, node.get("timeoutSeconds"), where + "/timeoutSeconds", problems);
            OnError onError = parseOnError(id, node.get("onError"), where + "/onError", problems);
            Long cacheTtl = parseCache(id, node.get("cache"), where + "/cache", problems);
            nodes.add(new NodeSpec(nodes.size(), id, type, config, retry, timeoutMs, onError, containsTemplate(config), cacheTtl));
        }
        return nodes;
    }

    private RetryPolicy parseRetry(String nodeId, JsonNode retry, String where, List<Problem> problems) {
        if (retry == null || retry.isNull()) {
            return RetryPolicy.NONE;
        }
        if (!retry.isObject()) {
            problems.add(new Problem("node.retry", "node '" + nodeId + "': \"retry\" must be an object", nodeId, null, where));
            return RetryPolicy.NONE;
        }
        int before = problems.size();
        int maxAttempts = intField(nodeId, retry, "maxAttempts", 3, 1, 100, where, problems);
        long initial = intField(nodeId, retry, "initialDelayMs", 1000, 0, 3_600_000, where, problems);
        long maxDelay = intField(nodeId, retry, "maxDelayMs", 60_000, 0, 86_400_000, where, problems);
        double multiplier = 2.0;
        JsonNode m = retry.get("multiplier");
        if (m != null && (!m.isNumber() || m.doubleValue() < 1 || m.doubleValue() > 100)) {
            problems.add(new Problem("node.retry.multiplier", "node '" + nodeId + "': retry.multiplier must be a number from 1 to 100, not " + m,
                    nodeId, null, where + "/multiplier"));
        } else if (m != null) {
            multiplier = m.doubleValue();
        }
        double jitter = 0;
        JsonNode j = retry.get("jitter");
        if (j != null && (!j.isNumber() || j.doubleValue() < 0 || j.doubleValue() > 1)) {
            problems.add(new Problem("node.retry.jitter", "node '" + nodeId + "': retry.jitter must be a number from 0 to 1, not " + j,
                    nodeId, null, where + "/jitter"));
        } else if (j != null) {
            jitter = j.doubleValue();
        }
        return problems.size() > before ? RetryPolicy.NONE : new RetryPolicy(maxAttempts, initial, multiplier, maxDelay, jitter);
    }

    private static int intField(String nodeId, JsonNode parent, String field, int fallback, int min, int max, String where,
                                List<Problem> problems) {
        JsonNode value = parent.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            problems.add(new Problem("node.retry." + field, "node '" + nodeId + "': retry." + field + " must be an integer from "
                    + min + " to " + max + ", not " + value, nodeId, null, where + "/" + field));
            return fallback;
        }
        return value.intValue();
    }

    /** Option {@code "cache": {"ttlSeconds": N}}: whole seconds, 1 to 30 days. */
    private static Long parseCache(String nodeId, JsonNode cache, String where, List<Problem> problems) {
        if (cache == null || cache.isNull()) {
            return null;
        }
        if (!cache.isObject()) {
            problems.add(new Problem("node.cache", "node '" + nodeId + "': \"cache\" must be an object such as {\"ttlSeconds\": 300}",
                    nodeId, null, where));
            return null;
        }
        JsonNode ttl = cache.get("ttlSeconds");
        if (ttl == null || !ttl.isIntegralNumber() || !ttl.canConvertToLong() || ttl.longValue() < 1 || ttl.longValue() > 30L * 86_400) {
            problems.add(new Problem("node.cache.ttlSeconds", "node '" + nodeId + "': cache.ttlSeconds must be an integer from 1 to "
                    + 30 * 86_400 + " (30 days), not " + ttl, nodeId, null, where + "/ttlSeconds"));
            return null;
        }
        for (var names = cache.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!field.equals("ttlSeconds")) {
                problems.add(new Problem("node.cache." + field, "node '" + nodeId + "': cache has no option \"" + field
                        + "\" (only ttlSeconds)", nodeId, null, where + "/" + field));
                return null;
            }
        }
        return ttl.longValue();
    }

    private static Long parseTimeout(String nodeId, JsonNode timeout, String where, List<Problem> problems) {
        if (timeout == null || timeout.isNull()) {
            return null;
        }
        if (!timeout.isNumber() || timeout.doubleValue() <= 0 || timeout.doubleValue() > 7 * 86_400) {
            problems.add(new Problem("node.timeoutSeconds", "node '" + nodeId + "': timeoutSeconds must be a positive number of seconds (at most a week), not "
                    + timeout, nodeId, null, where));
            return null;
        }
        return Math.round(timeout.doubleValue() * 1000);
    }

    private static OnError parseOnError(String nodeId, JsonNode onError, String where, List<Problem> problems) {
        if (onError == null || onError.isNull()) {
            return OnError.FAIL;
        }
        if (onError.isTextual()) {
            switch (onError.textValue()) {
                case "fail": return OnError.FAIL;
                case "continue": return OnError.CONTINUE;
                case "ignore": return OnError.IGNORE;
                default: break;
            }
        }
        problems.add(new Problem("node.onError", "node '" + nodeId + "': onError must be \"fail\", \"continue\" or \"ignore\", not " + onError,
                nodeId, null, where));
        return OnError.FAIL;
    }

    private List<Connection> parseConnections(JsonNode connectionsNode, List<NodeSpec> nodes, List<Problem> problems) {
        List<Connection> connections = new ArrayList<>();
        if (connectionsNode == null || connectionsNode.isNull()) {
            return connections;
        }
        if (!connectionsNode.isArray()) {
            problems.add(new Problem("document.connections", "\"connections\" must be an array", null, null, "/connections"));
            return connections;
        }
        Set<String> ids = new HashSet<>();
        nodes.forEach(n -> ids.add(n.id()));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < connectionsNode.size(); i++) {
            JsonNode c = connectionsNode.get(i);
            String where = "/connections/" + i;
            String from = c.isObject() ? text(c, "from") : null;
            String to = c.isObject() ? text(c, "to") : null;
            String[] source = endpoint(from);
            String[] target = endpoint(to);
            if (source == null || target == null) {
                problems.add(new Problem("connection.invalid", "connection #" + i + " needs \"from\" and \"to\" as \"nodeId.port\", got "
                        + c, null, null, where));
                continue;
            }
            boolean ok = true;
            if (!ids.contains(source[0])) {
                problems.add(new Problem("connection.node.unknown", "connection #" + i + " starts at unknown node '" + source[0] + "'",
                        source[0], source[1], where + "/from"));
                ok = false;
            }
            if (!ids.contains(target[0])) {
                problems.add(new Problem("connection.node.unknown", "connection #" + i + " ends at unknown node '" + target[0] + "'",
                        target[0], target[1], where + "/to"));
                ok = false;
            }
            if (ok && !seen.add(from + ">" + to)) {
                problems.add(new Problem("connection.duplicate", "connection " + from + " -> " + to + " is listed twice",
                        target[0], target[1], where));
                ok = false;
            }
            if (ok) {
                connections.add(new Connection(connections.size(), source[0], source[1], target[0], target[1]));
            }
        }
        return connections;
    }

    private static String[] endpoint(String text) {
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.indexOf('.', dot + 1) >= 0) {
            return null;
        }
        return new String[] {text.substring(0, dot), text.substring(dot + 1)};
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private boolean containsTemplate(JsonNode node) {
        if (node.isTextual()) {
            return expressions.isTemplate(node.textValue());
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (containsTemplate(child)) {
                    return true;
                }
            }
        }
        return false;
    }
}

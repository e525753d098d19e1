package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.PortSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved Python node as stored (collection {@code python-nodes}, key = name): the function's
 * config, its ports as analysed when it was saved, and its version (1, 2, ... one per save).
 */
record SavedNode(String name, int version, String title, String description, ObjectNode config, NodePorts ports, Instant savedAt) {

    static final String NAME_PATTERN = "[a-z][a-z0-9_-]{0,63}";

    String type() {
        return UserPythonNode.PREFIX + name;
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", name);
        n.put("type", type());
        n.put("version", version);
        n.put("title", title);
        n.put("description", description);
        n.set("config", config.deepCopy());
        ObjectNode p = n.putObject("ports");
        p.set("inputs", ports(ports.inputs()));
        p.set("outputs", ports(ports.outputs()));
        n.put("savedAt", savedAt.toString());
        return n;
    }

    private static ArrayNode ports(List<PortSpec> specs) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (PortSpec s : specs) {
            ObjectNode o = a.addObject();
            o.put("name", s.name());
            o.put("type", s.type().toString());
            o.put("description", s.description());
            o.put("required", s.required());
        }
        return a;
    }

    static SavedNode fromJson(JsonNode n) {
        return new SavedNode(n.path("name").asText(), n.path("version").asInt(1), n.path("title").asText(),
                n.path("description").asText(""), (ObjectNode) n.path("config"),
                new NodePorts(ports(n.path("ports").path("inputs")), ports(n.path("ports").path("outputs"))),
                Instant.parse(n.path("savedAt").asText()));
    }

    private static List<PortSpec> ports(JsonNode a) {
        List<PortSpec> out = new ArrayList<>();
        for (JsonNode o : a) {
            out.add(new PortSpec(o.path("name").asText(), DataType.parse(o.path("type").asText("any")),
                    o.path("description").asText(null), o.path("required").asBoolean()));
        }
        return out;
    }
}

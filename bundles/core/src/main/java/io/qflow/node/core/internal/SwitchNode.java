package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** {@code core.switch}: routes the input to the port of the first (or every) matching case. */
@Component(service = NodeType.class)
public final class SwitchNode implements NodeType {

    static final String DEFAULT_PORT = "default";
    private static final String PORT_NAME = "[A-Za-z_][A-Za-z0-9_-]*";

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.switch")
            .name("Switch")
            .category("Flow")
            .description("Routes the input to one output per case: the first case whose condition holds "
                    + "(or every one, in mode 'all'), else to 'default'. Each case adds its own output port.")
            .icon("shuffle")
            .input("in", DataType.ANY, "The value to route", true)
            .output(DEFAULT_PORT, DataType.ANY, "The input, when no case matched (and fallback is on)")
            .configSchemaResource(SwitchNode.class, "schemas/switch.json")
            .example("{\"cases\": [{\"port\": \"high\", \"condition\": \"{{ in.score > 80 }}\"},"
                    + " {\"port\": \"medium\", \"condition\": \"{{ in.score > 50 }}\"}], \"mode\": \"first\"}")
            .example("{\"cases\": [{\"port\": \"admin\", \"condition\": \"{{ in.roles.contains('admin') }}\"},"
                    + " {\"port\": \"staff\", \"condition\": \"{{ in.staff }}\"}], \"mode\": \"all\", \"fallback\": false}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Only computes on its inputs and config: may run on the thread of a caller waiting for the outcome. */
    @Override
    public boolean nonBlocking(JsonNode config) {
        return true;
    }

    @Override
    public NodePorts ports(JsonNode config) {
        List<String> casePorts = casePorts(config);
        if (casePorts == null) {
            return DESCRIPTOR.ports();
        }
        List<PortSpec> outputs = new ArrayList<>();
        for (String port : casePorts) {
            outputs.add(PortSpec.of(port, DataType.ANY, "The input, when case '" + port + "' matches"));
        }
        outputs.addAll(DESCRIPTOR.outputs());
        return new NodePorts(DESCRIPTOR.inputs(), outputs);
    }

    /** Distinct case ports in order, without {@code default}; null when the config is malformed. */
    private static List<String> casePorts(JsonNode config) {
        JsonNode cases = config == null ? null : config.get("cases");
        if (cases == null || cases.isNull()) {
            return List.of();
        }
        if (!cases.isArray()) {
            return null;
        }
        Set<String> ports = new LinkedHashSet<>();
        for (JsonNode c : cases) {
            JsonNode port = c.get("port");
            if (port == null || !port.isTextual() || !port.textValue().matches(PORT_NAME)) {
                return null;
            }
            if (!port.textValue().equals(DEFAULT_PORT)) {
                ports.add(port.textValue());
            }
        }
        return List.copyOf(ports);
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws NodeException {
        NodeConfig config = new NodeConfig(ctx.config());
        ArrayNode cases = config.array("cases");
        boolean all = config.choice("mode", "first", "first", "all").equals("all");
        boolean fallback = config.bool("fallback", true);
        JsonNode value = Json.inputOrNull(ctx, "in");

        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            JsonNode port = c.path("port");
            if (!port.isTextual() || !port.textValue().matches(PORT_NAME)) {
                throw NodeConfig.invalid("cases[" + i + "].port", "must be a port name (letters, digits, _ and -)", port);
            }
            JsonNode condition = c.path("condition");
            if (!condition.isBoolean()) {
                throw NodeConfig.invalid("cases[" + i + "].condition", "must evaluate to true or false", condition);
            }
            if (condition.booleanValue()) {
                out.put(port.textValue(), value);
                if (!all) {
                    break;
                }
            }
        }
        if (out.isEmpty() && fallback) {
            out.put(DEFAULT_PORT, value);
        }
        return out.isEmpty() ? NodeResult.empty() : NodeResult.of(out);
    }
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.DecisionException;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.WaitRequest;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * {@code core.form}: puts the execution in {@code waiting} until someone submits the form (REST
 * {@code resume} with decision {@code submit} and the values as data), checks the values against
 * the fields and emits them on {@code out}.
 */
@Component(service = NodeType.class)
public final class FormNode implements NodeType {

    static final String SUBMIT = "submit";
    private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean");

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("core.form")
            .name("Form")
            .category("Input")
            .description("Waits for a person to fill in a form (no thread is held meanwhile), then emits the "
                    + "submitted values, checked against the fields. An optional timeout fails the node.")
            .icon("clipboard-list")
            .input("in", DataType.ANY, "Context shown with the form", false)
            .output("out", DataType.OBJECT, "The submitted values by field name")
            .configSchemaResource(FormNode.class, "schemas/form.json")
            .example("{\"title\": \"Shipping address\", \"fields\": [{\"name\": \"street\", \"type\": \"string\", \"required\": true}, "
                    + "{\"name\": \"floor\", \"type\": \"integer\"}]}")
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
    public NodeResult execute(NodeContext ctx) throws NodeException {
        NodeConfig config = new NodeConfig(ctx.config());
        List<Field> fields = fields(config);
        if (ctx.decision().isEmpty()) {
            ObjectNode request = ApprovalNode.request(ctx, config, "form", "Form");
            request.set("fields", config.array("fields"));
            return NodeResult.waiting(new WaitRequest(request, List.of(SUBMIT), ApprovalNode.timeout(config), null));
        }
        JsonNode data = ctx.decision().get().data();
        if (!(data instanceof ObjectNode submitted)) {
            throw new DecisionException("/data", "the form's data must be an object of values by field name, not " + Json.describe(data));
        }
        Set<String> known = new HashSet<>();
        ObjectNode out = Json.NODES.objectNode();
        for (Field field : fields) {
            known.add(field.name());
            JsonNode value = submitted.get(field.name());
            if (value == null || value.isNull()) {
                if (field.required()) {
                    throw new DecisionException("/data/" + field.name(), "field '" + field.name() + "' is required");
                }
                continue;
            }
            if (!matches(field.type(), value)) {
                throw new DecisionException("/data/" + field.name(),
                        "field '" + field.name() + "' must be " + article(field.type()) + ", not " + Json.describe(value));
            }
            out.set(field.name(), value);
        }
        for (Iterator<String> names = submitted.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new DecisionException("/data/" + name, "the form has no field '" + name + "'; its fields are " + known);
            }
        }
        return NodeResult.of("out", out);
    }

    private record Field(String name, String type, boolean required) {
    }

    private static List<Field> fields(NodeConfig config) throws NodeException {
        List<Field> fields = new java.util.ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode item : config.array("fields")) {
            NodeConfig field = new NodeConfig(item);
            String name = field.requiredString("name");
            String type = field.choice("type", "string", TYPES.toArray(String[]::new));
            if (!names.add(name)) {
                throw NodeException.permanent("config.invalid", "config 'fields' names '" + name + "' twice");
            }
            fields.add(new Field(name, type, field.bool("required", false)));
        }
        return fields;
    }

    private static boolean matches(String type, JsonNode value) {
        return switch (type) {
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.canConvertToExactIntegral());
            case "boolean" -> value.isBoolean();
            default -> value.isTextual();
        };
    }

    private static String article(String type) {
        return type.equals("integer") ? "an integer" : "a " + type;
    }
}

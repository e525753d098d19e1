package io.qflow.sdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a node type is: its stable id, ports, configuration schema and documentation. The REST front
 * serves descriptors verbatim and the editor renders forms from {@link #configSchema()}.
 *
 * @param type           stable dotted id, part of every stored workflow ({@code core.http.request})
 * @param version        major version of the node's contract
 * @param name           human name shown in the palette
 * @param category       palette group ("Flow", "Data", "Network", ...)
 * @param description    one or two sentences for the palette and docs
 * @param icon           an icon name for the editor (may be {@code null})
 * @param inputs         input ports
 * @param outputs        output ports
 * @param configSchema   JSON Schema (2020-12) of the node's {@code config} object
 * @param examples       example {@code config} objects
 * @param deferredConfig top-level config fields whose {@code {{ }}} expressions the engine leaves
 *                       unevaluated, because the node evaluates them itself per item through
 *                       {@link NodeContext#evaluate(String, java.util.Map)} (a Filter's condition)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NodeDescriptor(
        String type,
        int version,
        String name,
        String category,
        String description,
        String icon,
        List<PortSpec> inputs,
        List<PortSpec> outputs,
        ObjectNode configSchema,
        List<JsonNode> examples,
        Set<String> deferredConfig) {

    public NodeDescriptor {
        Objects.requireNonNull(type, "type");
        if (!type.matches("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+")) {
            throw new IllegalArgumentException("node type id must be a dotted lower-case id like 'acme.send': " + type);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        examples = List.copyOf(examples);
        deferredConfig = Set.copyOf(deferredConfig);
        configSchema = configSchema == null ? emptySchema() : configSchema;
    }

    /** The ports as a {@link NodePorts}. */
    public NodePorts ports() {
        return new NodePorts(inputs, outputs);
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    private static ObjectNode emptySchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        return schema;
    }

    /** Fluent construction of a descriptor; not thread-safe. */
    public static final class Builder {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final String type;
        private int version = 1;
        private String name;
        private String category = "Other";
        private String description = "";
        private String icon;
        private final List<PortSpec> inputs = new ArrayList<>();
        private final List<PortSpec> outputs = new ArrayList<>();
        private ObjectNode configSchema;
        private final List<JsonNode> examples = new ArrayList<>();
        private Set<String> deferredConfig = Set.of();

        private Builder(String type) {
            this.type = type;
            this.name = type;
        }

        public Builder version(int version) { this.version = version; return this; }
        public Builder name(String name) { this.name = name; return this; }
        public Builder category(String category) { this.category = category; return this; }
        public Builder description(String description) { this.description = description; return this; }
        public Builder icon(String icon) { this.icon = icon; return this; }
        public Builder input(PortSpec port) { inputs.add(port); return this; }
        public Builder output(PortSpec port) { outputs.add(port); return this; }

        /** Shorthand for an input port; {@code required} means it must be connected. */
        public Builder input(String name, DataType type, String description, boolean required) {
            return input(new PortSpec(name, type, description, required));
        }

        public Builder output(String name, DataType type, String description) {
            return output(PortSpec.of(name, type, description));
        }

        public Builder configSchema(ObjectNode schema) { this.configSchema = schema; return this; }

        /** The config schema as JSON text. */
        public Builder configSchema(String schemaJson) {
            return configSchema(parseObject(schemaJson, "config schema"));
        }

        /** The config schema from a resource on the given class's class path (works inside a bundle). */
        public Builder configSchemaResource(Class<?> owner, String resource) {
            try (InputStream in = owner.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no resource " + resource + " next to " + owner.getName());
                }
                JsonNode node = JSON.readTree(in);
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(resource + " is not a JSON object");
                }
                return configSchema(object);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }

        public Builder example(String configJson) {
            examples.add(parseObject(configJson, "example"));
            return this;
        }

        public Builder deferredConfig(String... fields) {
            this.deferredConfig = Set.of(fields);
            return this;
        }

        public NodeDescriptor build() {
            return new NodeDescriptor(type, version, name, category, description, icon, inputs, outputs,
                    configSchema, examples, deferredConfig);
        }

        private static ObjectNode parseObject(String json, String what) {
            try {
                JsonNode node = JSON.readTree(json);
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(what + " is not a JSON object");
                }
                return object;
            } catch (IOException e) {
                throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
            }
        }
    }
}

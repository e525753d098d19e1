package io.qflow.example.greeting.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import org.osgi.service.component.annotations.Component;

/**
 * {@code example.greet}: turns {@code {"name": "Alice"}} into {@code "Hello, Alice!"}.
 *
 * <p>One Declarative Services component per node type, registered under {@link NodeType}; the
 * engine finds it in the service registry, so dropping this bundle into {@code plugins/} is all it
 * takes. No state: {@link #execute} runs concurrently for many executions.
 */
@Component(service = NodeType.class)
public final class GreetNode implements NodeType {

    /** Used when the workflow leaves {@code greeting} out. */
    static final String DEFAULT_GREETING = "Hello";

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("example.greet")
            .version(1)
            .name("Greet")
            .category("Examples")
            .description("Greets a person by name: {\"name\": \"Alice\"} becomes \"Hello, Alice!\".")
            .icon("smile")
            .input("in", DataType.parse("object{name:string}"), "The person to greet", true)
            .output("out", DataType.STRING, "The greeting")
            // the JSON Schema (2020-12) of the config object; the editor renders the form from it
            .configSchemaResource(GreetNode.class, "greet.schema.json")
            .example("{}")
            .example("{\"greeting\": \"Good morning\"}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        // config() arrives with {{ }} expressions already evaluated; schema defaults are not filled in
        String greeting = context.config().path("greeting").asText(DEFAULT_GREETING);
        if (greeting.isBlank()) {
            greeting = DEFAULT_GREETING;
        }
        JsonNode name = context.input("in").path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            // permanent: retrying the same input cannot help
            throw NodeException.permanent("data.invalid",
                    "example.greet needs {\"name\": \"...\"} on 'in', got " + context.input("in"));
        }
        context.log().info("greeting " + name.asText());
        return NodeResult.of("out", TextNode.valueOf(greeting + ", " + name.asText() + "!"));
    }
}

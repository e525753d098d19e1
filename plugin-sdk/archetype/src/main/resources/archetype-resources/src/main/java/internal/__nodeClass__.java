#set( $segment = $nodeType.substring($nodeType.lastIndexOf('.')).substring(1) )
#set( $title = "${segment.substring(0, 1).toUpperCase()}${segment.substring(1)}" )
package ${package}.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;

/**
 * {@code ${nodeType}}: a starting point. As generated it upper-cases the text on {@code in} and adds
 * punctuation ({@code "hello"} becomes {@code "HELLO!"}); replace {@link #execute} with your logic,
 * and the ports and {@code ${nodeClass}.schema.json} with yours.
 *
 * <p>One Declarative Services component per node type, registered under {@link NodeType}: dropping
 * the bundle into Qflow's {@code plugins/} folder is all it takes. No state: {@link #execute} runs
 * concurrently for many executions.
 */
@Component(service = NodeType.class)
public final class ${nodeClass} implements NodeType {

    /** The stable id stored in every workflow that uses this node: never rename it. */
    static final String TYPE = "${nodeType}";

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder(TYPE)
            .version(1)
            .name("${title}")
            .category("Text")
            .description("Upper-cases a text and adds punctuation.")
            .icon("box")
            .input("in", DataType.STRING, "The text", true)
            .output("out", DataType.STRING, "The result")
            // the JSON Schema (2020-12) of the config object; the editor renders the form from it
            .configSchemaResource(${nodeClass}.class, "${nodeClass}.schema.json")
            .example("{}")
            .example("{\"punctuation\": \"?!\", \"times\": 3}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        // config() arrives with {{ }} expressions already evaluated; schema defaults are not filled in
        JsonNode config = context.config();
        String punctuation = config.path("punctuation").asText("!");
        int times = config.path("times").asInt(1);
        JsonNode in = context.input("in");
        if (!in.isTextual()) {
            // permanent: retrying the same input cannot help
            throw NodeException.permanent("data.invalid", TYPE + " needs a string on 'in', got " + in);
        }
        context.log().info("processing " + in.asText().length() + " characters");
        String out = in.asText().toUpperCase(Locale.ROOT) + punctuation.repeat(times);
        return NodeResult.of("out", TextNode.valueOf(out));
    }
}

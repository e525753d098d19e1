package io.qflow.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * The answer to a {@link WaitRequest}, handed to the node through {@link NodeContext#decision()}.
 *
 * @param decision  one of the request's decisions
 * @param data      what came with it (form values, a comment); an empty object when none
 * @param byTimeout whether it is the default decision applied because the timeout passed
 * @since 1.1
 */
public record Decision(String decision, JsonNode data, boolean byTimeout) {

    public Decision {
        Objects.requireNonNull(decision, "decision");
        data = data == null || data.isNull() || data.isMissingNode() ? JsonNodeFactory.instance.objectNode() : data;
    }
}

package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;
import java.util.Map;

/**
 * The workflow's {@code settings.python} ({@code version}, {@code backend}, {@code requirements},
 * {@code limits}) for a node run: the engine shows the settings of the workflow version the run
 * uses as {@code {{ execution.settings.python }}}, so a workflow edited during a run does not
 * change it half-way.
 */
final class WorkflowPythonSettings {

    JsonNode of(NodeContext context) {
        try {
            JsonNode python = context.evaluate("{{ execution.settings.python }}", Map.of());
            return python != null && python.isObject() ? python : MissingNode.getInstance();
        } catch (NodeException | RuntimeException e) {
            // no workflow behind the run (a test harness, an engine without settings): the defaults apply
            return MissingNode.getInstance();
        }
    }
}

package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.qflow.engine.WorkflowService;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.function.Supplier;

/**
 * The workflow's {@code settings.python} ({@code version}, {@code backend}, {@code requirements},
 * {@code limits}) for a node run. The engine does not hand workflow settings to nodes, so this reads
 * the stored workflow document of the node's execution ({@code {{ execution.workflowId }}}); the
 * answer is kept per execution, so a workflow edited during a run does not change it half-way.
 */
final class WorkflowPythonSettings {

    private static final int REMEMBERED = 256;
    private final Supplier<WorkflowService> workflows;
    private final Map<String, JsonNode> byExecution = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Entry<String, JsonNode> eldest) {
            return size() > REMEMBERED;
        }
    };

    WorkflowPythonSettings(Supplier<WorkflowService> workflows) {
        this.workflows = workflows;
    }

    JsonNode of(NodeContext context) {
        String executionId = context.executionId();
        synchronized (byExecution) {
            JsonNode known = byExecution.get(executionId);
            if (known != null) {
                return known;
            }
        }
        JsonNode python = MissingNode.getInstance();
        WorkflowService service = workflows.get();
        if (service != null) {
            try {
                JsonNode id = context.evaluate("{{ execution.workflowId }}", Map.of());
                if (id.isTextual()) {
                    python = service.get(id.asText()).map(w -> w.document().path("settings").path("python"))
                            .orElse(MissingNode.getInstance());
                }
            } catch (NodeException | RuntimeException e) {
                // no workflow (a test harness, an ad-hoc run): the defaults apply
            }
        }
        synchronized (byExecution) {
            byExecution.put(executionId, python);
        }
        return python;
    }
}

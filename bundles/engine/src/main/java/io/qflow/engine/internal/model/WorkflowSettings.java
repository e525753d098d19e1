package io.qflow.engine.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Workflow-level settings.
 *
 * @param timeoutMs      the whole execution's time limit, or null for none
 * @param maxParallelism how many of its nodes may run at once
 * @param vars           the {@code vars} object visible to expressions
 * @param errorWorkflow  the workflow started when an execution fails, or null
 * @param persistence    how its executions are written
 * @param python         {@code settings.python} as written (checked by PythonSettingsRules), an
 *                       empty object when there is none; runs show it as {@code execution.settings.python}
 */
public record WorkflowSettings(Long timeoutMs, int maxParallelism, ObjectNode vars, String errorWorkflow,
                               Persistence persistence, ObjectNode python) {

    public static final int DEFAULT_PARALLELISM = 8;
}

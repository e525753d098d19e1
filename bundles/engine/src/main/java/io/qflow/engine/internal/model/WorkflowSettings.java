package io.qflow.engine.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Workflow-level settings.
 *
 * @param timeoutMs      the whole execution's time limit, or null for none
 * @param maxParallelism how many of its nodes may run at once
 * @param vars           the {@code vars} object visible to expressions
 */
public record WorkflowSettings(Long timeoutMs, int maxParallelism, ObjectNode vars) {

    public static final int DEFAULT_PARALLELISM = 8;
}

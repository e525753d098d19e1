package io.qflow.engine;

/**
 * Filters for listing executions; null fields do not filter.
 *
 * @param workflowId only this workflow's executions
 * @param status     only executions in this status
 * @param limit      at most this many, newest first (1..1000): in descending id order, which is
 *                   creation order ({@link ExecutionService#list})
 * @param before     only executions with an id below this one, that is created before it (for
 *                   paging: the previous page's last id; it need not exist any more), or null
 */
public record ExecutionQuery(String workflowId, ExecutionStatus status, int limit, String before) {

    public ExecutionQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000");
        }
    }

    public static ExecutionQuery all() {
        return new ExecutionQuery(null, null, 100, null);
    }
}

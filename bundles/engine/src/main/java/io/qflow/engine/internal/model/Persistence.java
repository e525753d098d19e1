package io.qflow.engine.internal.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a workflow's executions are written (workflow setting {@code settings.persistence}).
 * Both keep the full history; they differ in what a kill -9 in the middle of a run can cost.
 */
public enum Persistence {

    /**
     * Every state change is committed before the engine acts on it: after a crash the run resumes
     * after its last finished node, and no finished node runs twice. The default.
     */
    STEPS("steps"),

    /**
     * State changes are buffered and written behind, several executions per transaction; the
     * accepted execution and its outcome are committed before anyone is told (the 202 of an
     * asynchronous start, a run-and-wait answer, a webhook's response, a run waiting for a
     * decision). After a crash the run resumes from what was written, so a node whose completion
     * was still buffered (at most 100 ms) runs again. For short,
     * high-rate workflows (webhooks answered synchronously) where that trade is right.
     */
    BATCHED("batched");

    private final String json;

    Persistence(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Optional<Persistence> ofJson(String value) {
        return Arrays.stream(values()).filter(p -> p.json.equals(value)).findFirst();
    }
}

package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.WaitRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a waiting node asks for, as recorded in its node run's outputs under {@link #KEY} while it
 * waits (so the store needs no new column and a restart finds it again).
 *
 * @param deadline when the timeout passes, or null for none
 */
record WaitInfo(JsonNode request, List<String> decisions, String defaultDecision, Instant deadline) {

    static final String KEY = "waitingFor";

    static WaitInfo of(WaitRequest request, Instant now) {
        return new WaitInfo(request.request(), request.decisions(), request.defaultDecision(),
                request.timeout() == null ? null : now.plus(request.timeout()));
    }

    /** The outputs of a waiting node run: {@code {"waitingFor": {request, decisions, defaultDecision, deadline}}}. */
    ObjectNode toOutputs() {
        ObjectNode wait = JsonNodeFactory.instance.objectNode();
        wait.set("request", request);
        decisions.forEach(wait.putArray("decisions")::add);
        if (defaultDecision != null) {
            wait.put("defaultDecision", defaultDecision);
        }
        if (deadline != null) {
            wait.put("deadline", deadline.toString());
        }
        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        outputs.set(KEY, wait);
        return outputs;
    }

    /** Reads back what {@link #toOutputs()} wrote (a waiting node run restored from the store). */
    static WaitInfo fromOutputs(JsonNode outputs) {
        JsonNode wait = outputs == null ? null : outputs.get(KEY);
        if (wait == null || !wait.isObject()) {
            throw new IllegalStateException("a waiting node run without what it waits for: " + outputs);
        }
        List<String> decisions = new ArrayList<>();
        wait.path("decisions").forEach(d -> decisions.add(d.asText()));
        JsonNode defaultDecision = wait.get("defaultDecision");
        JsonNode deadline = wait.get("deadline");
        return new WaitInfo(wait.path("request"), decisions, defaultDecision == null ? null : defaultDecision.asText(),
                deadline == null ? null : Instant.parse(deadline.asText()));
    }
}

package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ExecutionEvent;

/** The JSON of one {@link ExecutionEvent}, the same for SSE and WebSocket (documented in the root README). */
final class EventJson {

    private final ObjectMapper mapper;

    EventJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode of(ExecutionEvent event) {
        ObjectNode json = mapper.createObjectNode();
        json.put("seq", event.seq());
        json.put("type", event.type().json());
        json.put("executionId", event.executionId());
        json.put("workflowId", event.workflowId());
        json.put("at", event.at() == null ? null : event.at().toString());
        if (event.nodeId() != null) {
            json.put("nodeId", event.nodeId());
            json.put("nodeType", event.nodeType());
            json.put("attempt", event.attempt());
        }
        if (event.status() != null) {
            json.put("status", event.status());
        }
        switch (event.type()) {
            case SNAPSHOT -> json.set("execution", mapper.valueToTree(event.snapshot()));
            case NODE_LOG -> {
                json.put("index", event.logIndex());
                json.put("level", event.log().level());
                json.put("message", event.log().message());
            }
            case NODE_PROGRESS -> {
                json.put("progress", event.progress());
                if (event.message() != null) {
                    json.put("message", event.message());
                }
            }
            case DROPPED -> json.put("dropped", event.dropped());
            default -> {
                if (event.startedAt() != null) {
                    json.put("startedAt", event.startedAt().toString());
                }
                if (event.finishedAt() != null) {
                    json.put("finishedAt", event.finishedAt().toString());
                }
                if (event.error() != null) {
                    json.set("error", mapper.valueToTree(event.error()));
                }
                if (event.type() == ExecutionEvent.Type.NODE_FINISHED) {
                    json.put("cached", event.cached());
                }
            }
        }
        return json;
    }

    String text(ExecutionEvent event) {
        try {
            return mapper.writeValueAsString(of(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an execution event could not be written as JSON", e);
        }
    }
}

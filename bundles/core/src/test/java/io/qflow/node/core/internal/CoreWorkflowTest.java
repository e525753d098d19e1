package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.Execution;
import io.qflow.sdk.testkit.WorkflowHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core nodes together on the in-memory engine: branching, deferred expressions, merging. */
class CoreWorkflowTest {

    @TempDir
    Path files;

    @Test
    void filterSortBranchAndMerge() throws Exception {
        String workflow = """
                {"schemaVersion": 1, "name": "orders",
                 "nodes": [
                   {"id": "start", "type": "core.input"},
                   {"id": "big", "type": "core.filter", "config": {"condition": "{{ item.price >= 10 }}"}},
                   {"id": "sorted", "type": "core.sort", "config": {"by": [{"field": "price", "order": "desc"}]}},
                   {"id": "any", "type": "core.if", "config": {"condition": "{{ in.size() > 0 }}"}},
                   {"id": "names", "type": "core.foreach", "config": {"map": "{{ item.name }}"}},
                   {"id": "none", "type": "core.set", "config": {"values": {"message": "nothing over 10"}}},
                   {"id": "result", "type": "core.merge", "config": {"mode": "first"}}
                 ],
                 "connections": [
                   {"from": "start.out", "to": "big.in"},
                   {"from": "big.out", "to": "sorted.in"},
                   {"from": "sorted.out", "to": "any.in"},
                   {"from": "any.true", "to": "names.in"},
                   {"from": "any.false", "to": "none.in"},
                   {"from": "names.out", "to": "result.in1"},
                   {"from": "none.out", "to": "result.in2"}
                 ]}
                """;
        try (WorkflowHarness harness = WorkflowHarness.with(CoreNodes.all(files))) {
            Execution done = harness.runExpectingSuccess(workflow,
                    "[{\"name\": \"a\", \"price\": 5}, {\"name\": \"b\", \"price\": 50}, {\"name\": \"c\", \"price\": 20}]");
            assertEquals(new ObjectMapper().readTree("[\"b\", \"c\"]"), done.outputs().at("/result/out"));
            Execution nothing = harness.runExpectingSuccess(workflow, "[{\"name\": \"a\", \"price\": 5}]");
            assertEquals(new ObjectMapper().readTree("{\"message\": \"nothing over 10\"}"), nothing.outputs().at("/result/out"));
        }
    }
}

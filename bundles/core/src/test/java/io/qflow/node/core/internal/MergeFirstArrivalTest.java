package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.Execution;
import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.WorkflowHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** core.merge in mode first starts on the first arrival; the other modes wait for every branch. */
class MergeFirstArrivalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    @Test
    void onlyModeFirstStartsOnTheFirstInput() throws Exception {
        MergeNode merge = new MergeNode();
        assertTrue(merge.startsOnFirstInput(JSON.readTree("{\"mode\": \"first\"}")));
        assertFalse(merge.startsOnFirstInput(JSON.readTree("{\"mode\": \"object\"}")));
        assertFalse(merge.startsOnFirstInput(JSON.readTree("{}")));
        NodeHarness.of(merge).config("{\"mode\": \"first\"}").input("in2", "7").run().assertEmits("out", "7");
    }

    @Test
    void theFasterBranchWinsWhateverItsPort() throws Exception {
        String workflow = """
                {"schemaVersion": 1, "name": "race",
                 "nodes": [
                   {"id": "start", "type": "core.input"},
                   {"id": "slow", "type": "core.delay", "config": {"ms": 300}},
                   {"id": "fast", "type": "core.set", "config": {"values": {"who": "fast"}}},
                   {"id": "first", "type": "core.merge", "config": {"mode": "first"}},
                   {"id": "all", "type": "core.merge", "config": {"mode": "object"}}
                 ],
                 "connections": [
                   {"from": "start.out", "to": "slow.in"},
                   {"from": "start.out", "to": "fast.in"},
                   {"from": "slow.out", "to": "first.in1"},
                   {"from": "fast.out", "to": "first.in2"},
                   {"from": "slow.out", "to": "all.in1"},
                   {"from": "fast.out", "to": "all.in2"}
                 ]}
                """;
        try (WorkflowHarness harness = WorkflowHarness.with(CoreNodes.all(files))) {
            Execution done = harness.runExpectingSuccess(workflow, "{\"who\": \"slow\"}");
            assertEquals(JSON.readTree("{\"who\": \"fast\"}"), done.outputs().at("/first/out"));
            assertEquals(JSON.readTree("{\"in1\": {\"who\": \"slow\"}, \"in2\": {\"who\": \"fast\"}}"), done.outputs().at("/all/out"));
        }
    }
}

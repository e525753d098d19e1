package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.StoredWorkflow;
import io.qflow.sdk.DecisionException;
import io.qflow.sdk.WaitRequest;
import io.qflow.sdk.testkit.NodeHarness;
import io.qflow.sdk.testkit.WorkflowHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** core.approval and core.form: ask, wait, and finish with the decision. */
class HumanNodesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    // --- core.approval

    @Test
    void approvalAsksWithTitleInputAndTimeout() throws Exception {
        WaitRequest request = NodeHarness.of(new ApprovalNode())
                .config("{\"title\": \"Refund?\", \"description\": \"Customer 7\", \"timeoutSeconds\": 60, \"defaultDecision\": \"approve\"}")
                .input("in", "{\"amount\": 12}").runExpectingSuccess().waitRequest().orElseThrow();
        assertEquals(List.of("approve", "reject"), request.decisions());
        assertEquals(Duration.ofSeconds(60), request.timeout());
        assertEquals("approve", request.defaultDecision());
        assertEquals(json("{\"kind\": \"approval\", \"title\": \"Refund?\", \"description\": \"Customer 7\", \"input\": {\"amount\": 12}}"),
                request.request());
    }

    @Test
    void approvalWithoutTimeoutWaitsForever() {
        WaitRequest request = NodeHarness.of(new ApprovalNode()).runExpectingSuccess().waitRequest().orElseThrow();
        assertNull(request.timeout());
        assertEquals("Approval", request.request().get("title").asText());
    }

    @Test
    void approveEmitsOnApprovedAndRejectOnRejected() {
        NodeHarness.of(new ApprovalNode()).input("in", "5").decision("approve", "{\"by\": \"ann\"}").run()
                .assertEmitsOnly("approved")
                .assertEmits("approved", "{\"decision\": \"approve\", \"data\": {\"by\": \"ann\"}, \"input\": 5}");
        NodeHarness.of(new ApprovalNode()).input("in", "5").decision("reject", null).run()
                .assertEmitsOnly("rejected")
                .assertEmits("rejected", "{\"decision\": \"reject\", \"data\": {}, \"input\": 5}");
    }

    // --- core.form

    private static final String FORM = """
            {"title": "Address", "fields": [
              {"name": "street", "type": "string", "required": true, "label": "Street"},
              {"name": "floor", "type": "integer"},
              {"name": "price", "type": "number"},
              {"name": "gift", "type": "boolean"}]}""";

    @Test
    void formAsksWithItsFields() throws Exception {
        WaitRequest request = NodeHarness.of(new FormNode()).config(FORM).runExpectingSuccess().waitRequest().orElseThrow();
        assertEquals(List.of("submit"), request.decisions());
        assertNull(request.defaultDecision());
        assertEquals("form", request.request().get("kind").asText());
        assertEquals(json(FORM).get("fields"), request.request().get("fields"));
    }

    @Test
    void formEmitsTheCheckedValues() {
        NodeHarness.of(new FormNode()).config(FORM)
                .decision("submit", "{\"street\": \"Main 1\", \"floor\": 3, \"price\": 2.5, \"gift\": true}").run()
                .assertEmits("out", "{\"street\": \"Main 1\", \"floor\": 3, \"price\": 2.5, \"gift\": true}");
        NodeHarness.of(new FormNode()).config(FORM).decision("submit", "{\"street\": \"Main 1\", \"floor\": null}").run()
                .assertEmits("out", "{\"street\": \"Main 1\"}");
    }

    @Test
    void formRefusesValuesThatFailTheFieldsNamingTheField() {
        assertRefused("{\"floor\": 3}", "/data/street", "required");
        assertRefused("{\"street\": \"x\", \"floor\": 2.5}", "/data/floor", "integer");
        assertRefused("{\"street\": \"x\", \"gift\": \"yes\"}", "/data/gift", "boolean");
        assertRefused("{\"street\": 4}", "/data/street", "string");
        assertRefused("{\"street\": \"x\", \"color\": \"red\"}", "/data/color", "no field");
        assertRefused("[1]", "/data", "object");
    }

    private void assertRefused(String data, String field, String words) {
        Throwable failure = NodeHarness.of(new FormNode()).config(FORM).decision("submit", data).run().failure();
        DecisionException refused = assertInstanceOf(DecisionException.class, failure);
        assertEquals(field, refused.field());
        assertEquals("decision.invalid", refused.code());
        assertTrue(refused.getMessage().contains(words), refused.getMessage());
    }

    // --- on the engine

    @Test
    void anApprovalWorkflowWaitsAndResumes() throws Exception {
        String workflow = """
                {"schemaVersion": 1, "name": "approve",
                 "nodes": [
                   {"id": "start", "type": "core.input"},
                   {"id": "ask", "type": "core.approval", "config": {"title": "Pay {{ in.amount }}?"}},
                   {"id": "form", "type": "core.form", "config": {"fields": [{"name": "note", "required": true}]}},
                   {"id": "no", "type": "core.noop"}
                 ],
                 "connections": [
                   {"from": "start.out", "to": "ask.in"},
                   {"from": "ask.approved", "to": "form.in"},
                   {"from": "ask.rejected", "to": "no.in"}
                 ]}
                """;
        try (WorkflowHarness harness = WorkflowHarness.with(CoreNodes.all(files))) {
            StoredWorkflow wf = harness.engine().workflows().create(json(workflow));
            String id = harness.engine().executions().start(wf.id(), json("{\"amount\": 9}"), "manual").id();
            Execution waiting = awaitWaiting(harness, id);
            assertEquals("Pay 9?", waiting.nodes().get(1).outputs().at("/waitingFor/request/title").asText());
            harness.engine().executions().resume(id, "ask", "approve", null);
            waiting = awaitWaiting(harness, id);
            assertEquals(NodeRunStatus.WAITING, waiting.nodes().get(2).status());
            harness.engine().executions().resume(id, "form", "submit", json("{\"note\": \"ok\"}"));
            Execution done = harness.engine().executions().await(id, Duration.ofSeconds(10));
            assertEquals(ExecutionStatus.SUCCEEDED, done.status());
            assertEquals(json("{\"note\": \"ok\"}"), done.outputs().at("/form/out"));
            assertEquals(NodeRunStatus.SKIPPED, done.nodes().get(3).status());
        }
    }

    private static Execution awaitWaiting(WorkflowHarness harness, String id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Execution e = harness.engine().executions().get(id).orElseThrow();
            if (e.status() == ExecutionStatus.WAITING) {
                return e;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("not waiting after 10 s");
    }
}

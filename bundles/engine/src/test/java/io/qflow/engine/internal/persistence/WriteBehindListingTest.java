package io.qflow.engine.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listing through the write-behind view shows executions the store does not have yet (a batched
 * run is inserted a flush delay after it starts), in id order among the stored ones, page by page.
 */
class WriteBehindListingTest {

    private final InMemoryExecutionRepository store = new InMemoryExecutionRepository();
    /** A flush delay of ten minutes: nothing accepted here is written during a test. */
    private final WriteBehindExecutions view = new WriteBehindExecutions(store, 600_000);

    @AfterEach
    void close() {
        view.close();
    }

    private static Execution execution(String id, String workflowId, ExecutionStatus status) {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        return new Execution(id, workflowId, 1, status, "manual", JsonNodeFactory.instance.objectNode(), now, now,
                status.isFinal() ? now : null, null, null, List.of());
    }

    private List<String> ids(ExecutionQuery query) {
        return view.list(query).stream().map(Execution::id).toList();
    }

    @Test
    void anAcceptedExecutionIsListedBeforeItIsWritten() {
        store.insert(execution("e1", "wf", ExecutionStatus.SUCCEEDED));
        store.insert(execution("e2", "other", ExecutionStatus.SUCCEEDED));
        view.accept(execution("e3", "wf", ExecutionStatus.RUNNING));

        assertEquals(List.of(), store.list(new ExecutionQuery("wf", null, 10, null)).stream()
                .filter(e -> e.id().equals("e3")).toList(), "not written: only the view knows it");
        assertEquals(List.of("e3", "e1"), ids(new ExecutionQuery("wf", null, 10, null)));
        assertEquals(List.of("e3", "e2", "e1"), ids(new ExecutionQuery(null, null, 10, null)));
        assertEquals(List.of("e3"), ids(new ExecutionQuery(null, ExecutionStatus.RUNNING, 10, null)));
        assertEquals(List.of("e1"), ids(new ExecutionQuery("wf", ExecutionStatus.SUCCEEDED, 10, null)));
        assertEquals(List.of(), ids(new ExecutionQuery("nope", null, 10, null)));
    }

    @Test
    void aListedExecutionShowsItsCurrentStatusAndComesOnce() {
        Execution accepted = execution("e2", "wf", ExecutionStatus.RUNNING);
        view.accept(accepted);
        view.updateExecution(execution("e2", "wf", ExecutionStatus.SUCCEEDED));

        List<Execution> listed = view.list(new ExecutionQuery("wf", null, 10, null));

        assertEquals(List.of("e2"), listed.stream().map(Execution::id).toList());
        assertEquals(ExecutionStatus.SUCCEEDED, listed.get(0).status());
        assertEquals(List.of(), listed.get(0).nodes(), "a listing shows summaries");
    }

    @Test
    void pagesCutTheMergedListingAtTheLimitAndTheNextPageGoesOnBelowTheLastId() {
        store.insert(execution("e1", "wf", ExecutionStatus.SUCCEEDED));
        store.insert(execution("e2", "wf", ExecutionStatus.SUCCEEDED));
        store.insert(execution("e4", "wf", ExecutionStatus.SUCCEEDED));
        view.accept(execution("e3", "wf", ExecutionStatus.RUNNING));
        view.accept(execution("e5", "wf", ExecutionStatus.RUNNING));

        assertEquals(List.of("e5", "e4"), ids(new ExecutionQuery("wf", null, 2, null)));
        assertEquals(List.of("e3", "e2"), ids(new ExecutionQuery("wf", null, 2, "e4")));
        assertEquals(List.of("e1"), ids(new ExecutionQuery("wf", null, 2, "e2")));
    }

    @Test
    void aWrittenExecutionIsListedFromTheStore() {
        view.accept(execution("e1", "wf", ExecutionStatus.SUCCEEDED));
        view.flush("e1");

        assertEquals(List.of("e1"), store.list(new ExecutionQuery("wf", null, 10, null)).stream().map(Execution::id).toList());
        assertEquals(List.of("e1"), ids(new ExecutionQuery("wf", null, 10, null)));
    }
}

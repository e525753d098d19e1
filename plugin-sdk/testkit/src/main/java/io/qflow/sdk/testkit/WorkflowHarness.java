package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.Engine;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.Problem;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.ValidationException;
import io.qflow.sdk.NodeType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Runs workflow documents on an in-memory engine that knows only the given node types: the
 * workflow-level tier of plugin tests. Close it (try-with-resources) to stop its executions.
 *
 * <pre>{@code
 * try (WorkflowHarness wf = WorkflowHarness.with(new CoreNodes()...)) {
 *     Execution done = wf.runExpectingSuccess(workflowJson, "{\"name\": \"Ada\"}");
 *     assertEquals("Hello Ada", done.outputs().at("/greet/out").asText());
 * }
 * }</pre>
 */
public final class WorkflowHarness implements AutoCloseable {

    private final Engine engine;
    private Duration timeout = Duration.ofSeconds(30);

    private WorkflowHarness(Engine engine) {
        this.engine = engine;
    }

    /** An in-memory engine with these node types. */
    public static WorkflowHarness with(NodeType... nodeTypes) {
        return new WorkflowHarness(Engine.builder().nodeTypes(nodeTypes).build());
    }

    /** An in-memory engine with these node types. */
    public static WorkflowHarness with(List<? extends NodeType> nodeTypes) {
        return new WorkflowHarness(Engine.builder().nodeTypes(nodeTypes).build());
    }

    /** How long {@link #run} waits for an execution to finish (default 30 s). */
    public WorkflowHarness timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** The engine, for what the harness does not wrap (validation reports, cancellation, history). */
    public Engine engine() {
        return engine;
    }

    /**
     * Stores the workflow, starts a run with this input and waits for it to finish.
     *
     * @param workflowJson the workflow document as JSON text
     * @param inputJson    the run's input as JSON text ({@code null}: an empty object)
     * @return the execution with every node run; still running if it did not finish within the timeout
     * @throws ValidationException when the engine refuses the workflow (every problem listed)
     */
    public Execution run(String workflowJson, String inputJson) throws ValidationException, InterruptedException {
        return run(TestJson.parse(workflowJson, "workflow"),
                inputJson == null ? TestJson.NODES.objectNode() : TestJson.parse(inputJson, "input"));
    }

    /** {@link #run(String, String)} with JSON trees. */
    public Execution run(JsonNode workflow, JsonNode input) throws ValidationException, InterruptedException {
        StoredWorkflow stored = engine.workflows().create(workflow);
        try {
            Execution started = engine.executions().start(stored.id(), input, "test");
            return engine.executions().await(started.id(), timeout);
        } catch (NotFoundException e) {
            throw new IllegalStateException("the engine lost workflow " + stored.id() + " it just stored", e);
        }
    }

    /**
     * Runs the workflow and asserts it succeeded. A refused workflow or a failed, cancelled or
     * unfinished run becomes an {@link AssertionError} naming the problems or the failed nodes.
     */
    public Execution runExpectingSuccess(String workflowJson, String inputJson) throws InterruptedException {
        Execution execution;
        try {
            execution = run(workflowJson, inputJson);
        } catch (ValidationException e) {
            throw new AssertionError("the engine refused the workflow: " + e.getMessage() + "\n  "
                    + e.problems().stream().map(WorkflowHarness::describe).collect(Collectors.joining("\n  ")), e);
        }
        if (execution.status() != ExecutionStatus.SUCCEEDED) {
            String nodes = execution.nodes().stream()
                    .map(WorkflowHarness::describe)
                    .collect(Collectors.joining("\n  "));
            throw new AssertionError("expected the execution to succeed, but it is " + execution.status().json()
                    + (execution.error() == null ? "" : ": " + execution.error().message())
                    + "\n  " + nodes);
        }
        return execution;
    }

    @Override
    public void close() {
        engine.close();
    }

    private static String describe(Problem problem) {
        return problem.code() + (problem.nodeId() == null ? "" : " at " + problem.nodeId()
                + (problem.port() == null ? "" : "." + problem.port())) + ": " + problem.message();
    }

    private static String describe(NodeRun run) {
        return run.nodeId() + " (" + run.type() + "): " + run.status()
                + (run.error() == null ? "" : " - " + run.error().message());
    }
}

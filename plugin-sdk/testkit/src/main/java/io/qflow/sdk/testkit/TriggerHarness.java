package io.qflow.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.NodeLogger;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggeredRun;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A {@link TriggerContext} for plain JUnit tests of a {@link io.qflow.sdk.trigger.TriggerType}: pass
 * it to {@code start} and look at what the trigger did. It records every fire (outputs and
 * {@link System#nanoTime()}), log line and reported failure, and keeps the saved state in memory.
 * Each fire's run has id {@code run-<n>} and a {@link #completion(int) completion} the test completes
 * with the summary the platform would give ({@code {id, status, outputs, error}}). Thread-safe.
 *
 * @since 1.2
 */
public final class TriggerHarness implements TriggerContext {

    private final String workflowId;
    private final String nodeId;
    private final JsonNode config;
    private final boolean test;
    private final List<Map<String, JsonNode>> fires = new CopyOnWriteArrayList<>();
    private final List<Long> fireNanos = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<JsonNode>> completions = new CopyOnWriteArrayList<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicReference<JsonNode> state = new AtomicReference<>();

    private TriggerHarness(String workflowId, String nodeId, JsonNode config, boolean test) {
        this.workflowId = workflowId;
        this.nodeId = nodeId;
        this.config = config;
        this.test = test;
    }

    /** A context for trigger node {@code trigger} of workflow {@code workflow} with this config (JSON text). */
    public static TriggerHarness of(String workflow, String trigger, String configJson) {
        return new TriggerHarness(Objects.requireNonNull(workflow), Objects.requireNonNull(trigger), TestJson.parse(configJson, "trigger config"), false);
    }

    /** The same context started for the editor's one test event ({@link TriggerContext#test()}). */
    public TriggerHarness inTestMode() {
        return new TriggerHarness(workflowId, nodeId, config, true);
    }

    /** Sets what {@link #loadState()} returns, as if a previous run had saved it. */
    public TriggerHarness withState(JsonNode saved) {
        state.set(saved);
        return this;
    }

    @Override
    public String workflowId() {
        return workflowId;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public JsonNode config() {
        return config;
    }

    @Override
    public boolean test() {
        return test;
    }

    @Override
    public NodeLogger log() {
        return new NodeLogger() {
            @Override
            public void debug(String message) {
                logs.add("debug " + message);
            }

            @Override
            public void info(String message) {
                logs.add("info " + message);
            }

            @Override
            public void warn(String message) {
                logs.add("warn " + message);
            }

            @Override
            public void error(String message) {
                logs.add("error " + message);
            }
        };
    }

    @Override
    public TriggeredRun fire(Map<String, JsonNode> outputs) {
        fireNanos.add(System.nanoTime());
        CompletableFuture<JsonNode> completion = new CompletableFuture<>();
        String id;
        synchronized (this) {
            fires.add(Map.copyOf(outputs));
            completions.add(completion);
            id = "run-" + fires.size();
        }
        return new TriggeredRun() {
            @Override
            public String executionId() {
                return id;
            }

            @Override
            public CompletableFuture<JsonNode> completion() {
                return completion;
            }
        };
    }

    @Override
    public void failed(Throwable error) {
        failures.add(error);
    }

    @Override
    public Optional<JsonNode> loadState() {
        return Optional.ofNullable(state.get());
    }

    @Override
    public void saveState(JsonNode saved) {
        state.set(saved);
    }

    /** The outputs of every fire so far, in order. */
    public List<Map<String, JsonNode>> fires() {
        return List.copyOf(fires);
    }

    /** {@link System#nanoTime()} at each fire. */
    public List<Long> fireNanos() {
        return List.copyOf(fireNanos);
    }

    /** The completion of the {@code index}-th fire's run (0-based), for the test to complete. */
    public CompletableFuture<JsonNode> completion(int index) {
        return completions.get(index);
    }

    /** Log lines as {@code "<level> <message>"}. */
    public List<String> logs() {
        return List.copyOf(logs);
    }

    /** What the trigger reported through {@link #failed}. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** The state last saved, or null. */
    public JsonNode state() {
        return state.get();
    }

    /** Waits (polling every 5 ms) until {@code condition} holds; fails naming {@code what} after {@code seconds}. */
    public static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}

package io.qflow.engine.internal.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qflow.engine.ConflictException;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.Problem;
import io.qflow.engine.TriggerStatus;
import io.qflow.engine.ValidationException;
import io.qflow.engine.internal.EngineAssembly;
import io.qflow.engine.internal.catalog.NodeTypeRegistry;
import io.qflow.engine.internal.credentials.Credentials;
import io.qflow.engine.internal.credentials.SecretKeySource;
import io.qflow.engine.spi.DocumentRepository;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import io.qflow.sdk.trigger.TriggerType;
import io.qflow.sdk.trigger.TriggeredRun;
import io.qflow.sdk.trigger.WebhookEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Activation on a real in-memory engine with a test trigger type and an in-memory document store. */
class ActivationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An in-memory DocumentRepository: what the store bundle provides in OSGi. */
    static final class MemoryDocuments implements DocumentRepository {
        final Map<String, ConcurrentSkipListMap<String, JsonNode>> data = new ConcurrentHashMap<>();

        @Override
        public Optional<JsonNode> find(String collection, String key) {
            return Optional.ofNullable(data.getOrDefault(collection, new ConcurrentSkipListMap<>()).get(key));
        }

        @Override
        public List<Document> list(String collection) {
            return data.getOrDefault(collection, new ConcurrentSkipListMap<>()).entrySet().stream()
                    .map(e -> new Document(e.getKey(), e.getValue(), Instant.now())).toList();
        }

        @Override
        public void put(String collection, String key, JsonNode body) {
            data.computeIfAbsent(collection, c -> new ConcurrentSkipListMap<>()).put(key, body);
        }

        @Override
        public boolean delete(String collection, String key) {
            return data.getOrDefault(collection, new ConcurrentSkipListMap<>()).remove(key) != null;
        }
    }

    /** test.trigger: records its contexts; config.fail makes start refuse the field; config.path claims a path. */
    static final class TestTrigger implements TriggerType {
        final Map<String, TriggerContext> running = new ConcurrentHashMap<>();
        final Map<String, String> paths = new ConcurrentHashMap<>();
        final AtomicInteger starts = new AtomicInteger();
        volatile boolean breakOnStart;

        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.trigger").output("body", DataType.ANY, "").output("n", DataType.INTEGER, "")
                    .configSchema("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"fail\":{\"type\":\"string\"}}}")
                    .build();
        }

        @Override
        public TriggerHandle start(TriggerContext context) throws Exception {
            starts.incrementAndGet();
            if (breakOnStart) {
                throw new IllegalStateException("broken on purpose");
            }
            if (context.config().has("fail")) {
                throw new TriggerConfigException("fail", "cannot work with " + context.config().get("fail").asText());
            }
            String path = context.config().path("path").asText(null);
            if (path != null) {
                String owner = paths.putIfAbsent(path, context.workflowId());
                if (owner != null && !owner.equals(context.workflowId())) {
                    throw new WebhookEndpoints.PathConflictException(path, owner);
                }
            }
            String key = context.workflowId() + "/" + context.nodeId();
            running.put(key, context);
            return () -> {
                running.remove(key, context);
                if (path != null) {
                    paths.remove(path, context.workflowId());
                }
            };
        }
    }

    /** test.echo: emits its input on out. */
    static final NodeType ECHO = new NodeType() {
        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder("test.echo").input("in", DataType.ANY, "", false).output("out", DataType.ANY, "").build();
        }

        @Override
        public NodeResult execute(NodeContext context) {
            return NodeResult.of("out", context.input("in"));
        }
    };

    private final TestTrigger trigger = new TestTrigger();
    private final MemoryDocuments documents = new MemoryDocuments();
    private final Credentials credentials = new Credentials(documents, SecretKeySource.ephemeral());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final EngineAssembly engine = EngineAssembly.standalone(List.of(ECHO), List.of(trigger), null, null);
    private final NodeTypeRegistry registry = (NodeTypeRegistry) engine.catalog();
    private Activations activations = newActivations();

    private Activations newActivations() {
        return new Activations(engine.catalog(), engine.workflows(), engine.executions(), documents, credentials, timers, 20);
    }

    @AfterEach
    void close() {
        activations.close();
        timers.shutdownNow();
        engine.close();
    }

    private void save(String id, String triggerConfig) throws Exception {
        engine.workflows().create(JSON.readTree("""
                {"schemaVersion": 1, "id": "%s", "name": "%s",
                 "nodes": [{"id": "hook", "type": "test.trigger", "config": %s}, {"id": "echo", "type": "test.echo"}],
                 "connections": [{"from": "hook.body", "to": "echo.in"}]}""".formatted(id, id, triggerConfig)));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void anActiveWorkflowsTriggerFiresExecutionsWithItsOutputsAsTheTriggerNodesPorts() throws Exception {
        save("w1", "{}");
        TriggerStatus status = activations.activate("w1");
        assertTrue(status.active(), status.toString());
        assertEquals("running", status.triggers().get(0).state());
        assertTrue(documents.find(Activations.COLLECTION, "w1").isPresent());

        TriggeredRun run = trigger.running.get("w1/hook").fire(Map.of("body", TextNode.valueOf("hello")));
        JsonNode done = run.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        assertEquals("hello", done.at("/outputs/echo/out").asText());
        Execution execution = engine.executions().get(run.executionId()).orElseThrow();
        assertEquals("test.trigger", execution.trigger());
        assertEquals(1, activations.status("w1").triggers().get(0).fired());
    }

    @Test
    void runWaitsForTheOutcomeAndReturnsItsSummary() throws Exception {
        save("waiter", "{}");
        activations.activate("waiter");
        JsonNode summary = trigger.running.get("waiter/hook").run(Map.of("body", TextNode.valueOf("sync")), Duration.ofSeconds(10));
        assertEquals("succeeded", summary.get("status").asText(), summary.toString());
        assertEquals("sync", summary.at("/outputs/echo/out").asText());
        Execution stored = engine.executions().get(summary.get("id").asText()).orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, stored.status());
    }

    @Test
    void aManualRunTakesItsInputAsTheTriggerNodesOutputs() throws Exception {
        save("manual", "{}");
        Execution started = engine.executions().start("manual", JSON.readTree("{\"body\": {\"a\": 1}}"), "manual");
        Execution done = engine.executions().await(started.id(), Duration.ofSeconds(10));
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals(1, done.outputs().at("/echo/out/a").asInt());
    }

    @Test
    void deactivationStopsTheTriggerAndForgetsTheActivation() throws Exception {
        save("w2", "{}");
        activations.activate("w2");
        TriggerContext context = trigger.running.get("w2/hook");
        TriggerStatus status = activations.deactivate("w2");
        assertFalse(status.requested());
        assertFalse(status.active());
        assertTrue(trigger.running.isEmpty());
        assertTrue(documents.find(Activations.COLLECTION, "w2").isEmpty());
        assertThrows(IllegalStateException.class, () -> context.fire(Map.of()), "a stopped trigger cannot fire");
    }

    @Test
    void activationsAreRestoredByANewInstanceOverTheSameStore() throws Exception {
        save("w3", "{}");
        activations.activate("w3");
        activations.close();
        assertTrue(trigger.running.isEmpty(), "closing stops the triggers but keeps the activation");
        activations = newActivations();
        activations.restore();
        assertTrue(activations.status("w3").active());
        assertNotNull(trigger.running.get("w3/hook"));
    }

    @Test
    void aMissingPluginLeavesTheWorkflowInactiveWithTheReasonAndItsReturnRestoresIt() throws Exception {
        save("w4", "{}");
        activations.activate("w4");
        registry.removeTriggerType(trigger);
        await(() -> !status("w4").active(), "the workflow to become inactive");
        TriggerStatus inactive = status("w4");
        assertTrue(inactive.requested());
        assertTrue(inactive.reason().contains("unknown type 'test.trigger'"), inactive.reason());

        registry.addTriggerType(trigger, "builtin");
        await(() -> status("w4").active(), "the workflow to become active again");
        assertNotNull(trigger.running.get("w4/hook"));
    }

    @Test
    void aConfigTheTriggerRefusesIsAValidationProblemNamingTheNodeAndFieldAndNothingIsStored() throws Exception {
        save("w5", "{\"fail\": \"this\"}");
        ValidationException e = assertThrows(ValidationException.class, () -> activations.activate("w5"));
        assertEquals("/nodes/0/config/fail", e.problems().get(0).field());
        assertEquals("hook", e.problems().get(0).nodeId());
        assertTrue(e.problems().get(0).message().contains("cannot work with this"), e.problems().toString());
        assertTrue(documents.find(Activations.COLLECTION, "w5").isEmpty());
        assertFalse(status("w5").requested());
    }

    @Test
    void aPathHeldByAnotherWorkflowIsAConflictNamingIt() throws Exception {
        save("first", "{\"path\": \"same\"}");
        save("second", "{\"path\": \"same\"}");
        activations.activate("first");
        ConflictException e = assertThrows(ConflictException.class, () -> activations.activate("second"));
        assertTrue(e.getMessage().contains("'first'"), e.getMessage());
        assertTrue(status("first").active());
        assertFalse(status("second").requested());
    }

    @Test
    void aWorkflowWithoutATriggerNodeCannotBeActivated() throws Exception {
        engine.workflows().create(JSON.readTree("""
                {"schemaVersion": 1, "id": "plain", "name": "plain", "nodes": [{"id": "echo", "type": "test.echo"}], "connections": []}"""));
        ValidationException e = assertThrows(ValidationException.class, () -> activations.activate("plain"));
        assertEquals("workflow.trigger.missing", e.problems().get(0).code());
    }

    @Test
    void aTriggerThatFailsIsRestartedWithBackoffAndItsErrorIsKept() throws Exception {
        save("w6", "{}");
        activations.activate("w6");
        int before = trigger.starts.get();
        trigger.running.get("w6/hook").failed(new IllegalStateException("connection lost"));
        await(() -> trigger.starts.get() > before && status("w6").active(), "the restart");
        TriggerStatus.Trigger node = status("w6").triggers().get(0);
        assertTrue(node.errors().stream().anyMatch(err -> err.message().contains("connection lost")), node.errors().toString());
    }

    @Test
    void aTriggerThatKeepsFailingToStartAtRestoreIsRetriedAndShown() throws Exception {
        save("w7", "{}");
        activations.activate("w7");
        activations.close();
        trigger.breakOnStart = true;
        activations = newActivations();
        activations.restore();
        TriggerStatus status = status("w7");
        assertFalse(status.active());
        assertTrue(status.reason().contains("broken on purpose"), status.reason());
        int starts = trigger.starts.get();
        await(() -> trigger.starts.get() >= starts + 2, "retries with backoff");
        trigger.breakOnStart = false;
        await(() -> status("w7").active(), "the trigger to start once it can");
    }

    @Test
    void updatingAnActiveWorkflowRestartsItsTriggersOnTheNewVersion() throws Exception {
        save("w8", "{\"path\": \"old\"}");
        activations.activate("w8");
        ObjectNode doc = engine.workflows().get("w8").orElseThrow().document().deepCopy();
        ((ObjectNode) doc.get("nodes").get(0).get("config")).put("path", "new");
        engine.workflows().update("w8", doc);
        await(() -> trigger.paths.containsKey("new") && !trigger.paths.containsKey("old"), "the trigger on the new version");
        assertTrue(status("w8").active());
    }

    @Test
    void listeningOnceStartsATestTriggerThatStopsAfterItsFirstFire() throws Exception {
        save("w9", "{}");
        activations.listenOnce("w9", Duration.ofMinutes(1));
        TriggerContext context = trigger.running.get("w9/hook");
        assertTrue(context.test());
        context.fire(Map.of("body", TextNode.valueOf("x")));
        await(() -> trigger.running.isEmpty(), "the test trigger to stop");
        assertFalse(status("w9").requested());

        activations.listenOnce("w9", Duration.ofMinutes(1));
        JsonNode summary = trigger.running.get("w9/hook").run(Map.of("body", TextNode.valueOf("y")), Duration.ofSeconds(10));
        assertEquals("succeeded", summary.get("status").asText());
        await(() -> trigger.running.isEmpty(), "the test trigger to stop after a run too");
    }

    private TriggerStatus status(String id) {
        try {
            return activations.status(id);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A config field as the running test trigger of workflow "s" received it (secret references resolved). */
    private String running(String field) {
        TriggerContext context = trigger.running.get("s/hook");
        return context == null ? null : context.config().at(field).asText(null);
    }

    @Test
    void aMissingCredentialRefusesActivationNamingTheNodeAndFieldAndNothingIsStored() throws Exception {
        save("s", "{\"auth\": {\"type\": \"header\", \"value\": \"{{ secrets.hookToken }}\"}}");
        ValidationException e = assertThrows(ValidationException.class, () -> activations.activate("s"));
        Problem problem = e.problems().get(0);
        assertEquals("secret.unknown", problem.code());
        assertEquals("hook", problem.nodeId());
        assertEquals("/nodes/0/config/auth/value", problem.field());
        assertTrue(problem.message().contains("'hookToken'"), problem.message());
        assertTrue(trigger.running.isEmpty());
        assertFalse(activations.status("s").requested(), "nothing was stored");
    }

    @Test
    void theTriggerSeesTheValueAndItsChangesWhileTheWorkflowKeepsTheReference() throws Exception {
        credentials.put("hookToken", TextNode.valueOf("tok-1"));
        credentials.put("pg", JSON.readTree("{\"user\": \"app\", \"password\": \"pw-1\"}"));
        save("s", "{\"token\": \"{{ secrets.hookToken }}\", \"password\": \"{{secrets.pg.password}}\", "
                + "\"note\": \"not {{ secrets.hookToken }} alone\", \"port\": 5432}");
        assertTrue(activations.activate("s").active());
        assertEquals("tok-1", running("/token"));
        assertEquals("pw-1", running("/password"));
        assertEquals("not {{ secrets.hookToken }} alone", running("/note"), "only whole-string references are replaced");
        assertEquals(5432, trigger.running.get("s/hook").config().get("port").asInt());
        assertTrue(engine.workflows().get("s").orElseThrow().document().toString().contains("{{ secrets.hookToken }}"));

        credentials.put("hookToken", TextNode.valueOf("tok-2"));
        await(() -> "tok-2".equals(running("/token")), "the trigger to restart with the new value");

        int starts = trigger.starts.get();
        credentials.put("unrelated", TextNode.valueOf("x"));
        credentials.put("pg", JSON.readTree("{\"user\": \"app\", \"password\": \"pw-2\"}"));
        await(() -> "pw-2".equals(running("/password")), "the trigger to restart with the new password");
        assertEquals(starts + 1, trigger.starts.get(), "a credential the workflow does not use restarts nothing");

        credentials.delete("hookToken");
        await(() -> !status("s").active(), "the workflow to stop without its credential");
        TriggerStatus status = activations.status("s");
        assertTrue(status.requested());
        String errors = status.triggers().get(0).errors().toString();
        assertTrue(errors.contains("'hookToken'") && errors.contains("/token"), errors);
        assertFalse(errors.contains("tok-"), errors);

        credentials.put("hookToken", TextNode.valueOf("tok-3"));
        await(() -> status("s").active() && "tok-3".equals(running("/token")), "the workflow to run again");
    }

    @Test
    void aFieldTheCredentialLacksIsRefusedLikeAMissingCredential() throws Exception {
        credentials.put("pg", JSON.readTree("{\"user\": \"app\"}"));
        save("s", "{\"password\": \"{{ secrets.pg.password }}\"}");
        ValidationException e = assertThrows(ValidationException.class, () -> activations.activate("s"));
        assertEquals("/nodes/0/config/password", e.problems().get(0).field());
        assertTrue(e.problems().get(0).message().contains("no field 'password'"), e.problems().toString());
    }
}

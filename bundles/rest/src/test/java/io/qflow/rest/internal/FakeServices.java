package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ConflictException;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.EncodedExecution;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.PluginInfo;
import io.qflow.engine.PluginInventory;
import io.qflow.engine.Problem;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.ValidationException;
import io.qflow.engine.ValidationReport;
import io.qflow.engine.WorkflowService;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Small in-memory stand-ins for the engine's services, enough to exercise every route and error
 * path of the REST front. A workflow is valid when each node names a type of the catalogue; a run
 * succeeds at once unless the workflow is named "slow" (it then stays running until cancelled).
 */
final class FakeServices {

    final FakeCatalog catalog = new FakeCatalog();
    final FakeWorkflows workflows = new FakeWorkflows(catalog);
    final FakeExecutions executions = new FakeExecutions(workflows);
    final FakePlugins plugins = new FakePlugins();

    RestApi api(RestSettings settings) {
        return new RestApi(workflows, executions, catalog, plugins, settings);
    }

    static final class FakeCatalog implements NodeCatalog {
        final List<NodeDescriptor> descriptors = new ArrayList<>(List.of(
                NodeDescriptor.builder("core.input").name("Input").category("Flow").description("The run's input")
                        .output("out", DataType.ANY, "the input").build(),
                NodeDescriptor.builder("core.http.request").name("HTTP request").category("Network").icon("globe")
                        .description("Calls a URL").input("in", DataType.ANY, "body", false)
                        .output("out", DataType.OBJECT, "response")
                        .configSchema("{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"}}}")
                        .example("{\"url\":\"https://example.org\"}").build(),
                NodeDescriptor.builder("test.sum").name("Sum").category("Data").description("Adds numbers")
                        .input("values", DataType.arrayOf(DataType.NUMBER), "numbers", true)
                        .output("result", DataType.NUMBER, "the sum").build()));

        @Override
        public List<NodeDescriptor> descriptors() {
            return List.copyOf(descriptors);
        }

        @Override
        public Optional<NodeDescriptor> descriptor(String type) {
            return descriptors.stream().filter(d -> d.type().equals(type)).findFirst();
        }

        @Override
        public Optional<NodeType> nodeType(String type) {
            return Optional.empty();
        }

        @Override
        public Optional<TriggerType> triggerType(String type) {
            return Optional.empty();
        }

        @Override
        public Optional<String> provider(String type) {
            return descriptor(type).map(d -> "builtin");
        }

        @Override
        public AutoCloseable onChange(Consumer<String> listener) {
            return () -> { };
        }
    }

    static final class FakeWorkflows implements WorkflowService {
        private final FakeCatalog catalog;
        final Map<String, StoredWorkflow> stored = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        FakeWorkflows(FakeCatalog catalog) {
            this.catalog = catalog;
        }

        @Override
        public ValidationReport validate(JsonNode document) {
            List<Problem> problems = new ArrayList<>();
            JsonNode nodes = document.get("nodes");
            if (nodes == null || !nodes.isArray()) {
                problems.add(new Problem("document.nodes.missing", "A workflow needs a nodes list.", null, null, "/nodes"));
            } else {
                for (JsonNode node : nodes) {
                    String type = node.path("type").asText();
                    if (catalog.descriptor(type).isEmpty()) {
                        problems.add(new Problem("node.type.unknown", "Node '" + node.path("id").asText()
                                + "' has the unknown type '" + type + "'.", node.path("id").asText(), null, null));
                    }
                }
            }
            return ValidationReport.of(problems);
        }

        @Override
        public StoredWorkflow create(JsonNode document) throws ValidationException {
            check(document);
            String id = document.hasNonNull("id") ? document.get("id").asText() : "wf-" + ids.incrementAndGet();
            StoredWorkflow workflow = store(id, 1, (ObjectNode) document, Instant.now());
            return workflow;
        }

        @Override
        public StoredWorkflow update(String id, JsonNode document)
                throws ValidationException, NotFoundException, ConflictException {
            StoredWorkflow current = get(id).orElseThrow(() -> new NotFoundException("No workflow '" + id + "'."));
            if (document.has("version") && document.get("version").asInt() != current.version()) {
                throw new ConflictException("Workflow '" + id + "' is at version " + current.version() + ".");
            }
            check(document);
            return store(id, current.version() + 1, (ObjectNode) document, current.createdAt());
        }

        private void check(JsonNode document) throws ValidationException {
            ValidationReport report = validate(document);
            if (!report.valid()) {
                throw new ValidationException("The workflow has " + report.problems().size() + " problem(s).", report.problems());
            }
        }

        private StoredWorkflow store(String id, int version, ObjectNode document, Instant created) {
            Instant now = Instant.now();
            ObjectNode copy = document.deepCopy();
            copy.put("id", id);
            copy.put("version", version);
            copy.put("createdAt", created.toString());
            copy.put("updatedAt", now.toString());
            StoredWorkflow workflow = new StoredWorkflow(id, version, copy.path("name").asText(null), created, now, copy);
            stored.put(id, workflow);
            return workflow;
        }

        @Override
        public Optional<StoredWorkflow> get(String id) {
            return Optional.ofNullable(stored.get(id));
        }

        @Override
        public List<StoredWorkflow> list() {
            return stored.values().stream().sorted(Comparator.comparing(StoredWorkflow::updatedAt).reversed()).toList();
        }

        @Override
        public void delete(String id) throws NotFoundException {
            if (stored.remove(id) == null) {
                throw new NotFoundException("No workflow '" + id + "'.");
            }
        }

        @Override
        public List<Problem> availability(String id) throws NotFoundException {
            StoredWorkflow workflow = get(id).orElseThrow(() -> new NotFoundException("No workflow '" + id + "'."));
            return validate(workflow.document()).problems();
        }
    }

    static final class FakeExecutions implements ExecutionService {
        private final FakeWorkflows workflows;
        final Map<String, Execution> runs = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Execution>> done = new ConcurrentHashMap<>();
        private final AtomicLong clock = new AtomicLong();

        FakeExecutions(FakeWorkflows workflows) {
            this.workflows = workflows;
        }

        @Override
        public Execution start(String workflowId, JsonNode input, String trigger) throws NotFoundException, ValidationException {
            StoredWorkflow workflow = workflows.get(workflowId)
                    .orElseThrow(() -> new NotFoundException("No workflow '" + workflowId + "'."));
            if ("explode".equals(workflow.name())) {
                throw new IllegalStateException("the fake engine broke on purpose");
            }
            String id = String.format("%08d-", clock.incrementAndGet()) + UUID.randomUUID();
            Instant now = Instant.now();
            JsonNode in = input == null ? JsonNodeFactory.instance.objectNode() : input;
            CompletableFuture<Execution> future = new CompletableFuture<>();
            done.put(id, future);
            if ("slow".equals(workflow.name())) {
                Execution running = new Execution(id, workflowId, workflow.version(), ExecutionStatus.RUNNING, trigger, in,
                        now, now, null, null, null, List.of(new NodeRun("a", "core.input", NodeRunStatus.RUNNING, 1,
                        now, null, null, null, List.of(), null)));
                runs.put(id, running);
                return running;
            }
            ObjectNode outputs = JsonNodeFactory.instance.objectNode();
            outputs.putObject("a").set("out", in);
            Execution finished = new Execution(id, workflowId, workflow.version(), ExecutionStatus.SUCCEEDED, trigger, in,
                    now, now, now, outputs, null, List.of(new NodeRun("a", "core.input", NodeRunStatus.SUCCEEDED, 1,
                    now, now, JsonNodeFactory.instance.objectNode(), outputs.get("a").deepCopy(), List.of(), null)));
            runs.put(id, finished);
            future.complete(finished);
            return new Execution(id, workflowId, workflow.version(), ExecutionStatus.QUEUED, trigger, in, now, null, null,
                    null, null, List.of());
        }

        @Override
        public Execution awaitSettled(String executionId, Duration timeout) throws NotFoundException, InterruptedException {
            return await(executionId, timeout);
        }

        /** When set, run-and-wait answers come with this as the engine's JSON form of the execution. */
        volatile byte[] encodedAnswer;

        @Override
        public EncodedExecution runEncoded(String workflowId, JsonNode input, String trigger, Duration timeout)
                throws NotFoundException, ValidationException, InterruptedException {
            return new EncodedExecution(run(workflowId, input, trigger, timeout), encodedAnswer);
        }

        @Override
        public Execution await(String executionId, Duration timeout) throws NotFoundException, InterruptedException {
            CompletableFuture<Execution> future = done.get(executionId);
            if (future == null) {
                throw new NotFoundException("No execution '" + executionId + "'.");
            }
            try {
                return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return runs.get(executionId);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public CompletionStage<Execution> completion(String executionId) throws NotFoundException {
            CompletableFuture<Execution> future = done.get(executionId);
            if (future == null) {
                throw new NotFoundException("No execution '" + executionId + "'.");
            }
            return future;
        }

        @Override
        public Optional<Execution> get(String executionId) {
            return Optional.ofNullable(runs.get(executionId));
        }

        @Override
        public List<Execution> list(ExecutionQuery query) {
            return runs.values().stream()
                    .sorted(Comparator.comparing(Execution::id).reversed())
                    .filter(e -> query.workflowId() == null || query.workflowId().equals(e.workflowId()))
                    .filter(e -> query.status() == null || query.status() == e.status())
                    .filter(e -> query.before() == null || e.id().compareTo(query.before()) < 0)
                    .limit(query.limit())
                    .map(e -> new Execution(e.id(), e.workflowId(), e.workflowVersion(), e.status(), e.trigger(), e.input(),
                            e.createdAt(), e.startedAt(), e.finishedAt(), e.outputs(), e.error(), List.of()))
                    .toList();
        }

        @Override
        public Execution cancel(String executionId) throws NotFoundException, ConflictException {
            Execution current = get(executionId).orElseThrow(() -> new NotFoundException("No execution '" + executionId + "'."));
            if (current.status().isFinal()) {
                throw new ConflictException("Execution '" + executionId + "' has already finished (" + current.status().json() + ").");
            }
            Execution cancelled = new Execution(current.id(), current.workflowId(), current.workflowVersion(),
                    ExecutionStatus.CANCELLED, current.trigger(), current.input(), current.createdAt(), current.startedAt(),
                    Instant.now(), null, ErrorInfo.of("cancelled"), current.nodes());
            runs.put(executionId, cancelled);
            done.get(executionId).complete(cancelled);
            return cancelled;
        }

        @Override
        public Execution resume(String executionId, String nodeId, String decision, JsonNode data)
                throws NotFoundException, ConflictException {
            Execution current = get(executionId).orElseThrow(() -> new NotFoundException("No execution '" + executionId + "'."));
            throw new ConflictException("Execution '" + executionId + "' is " + current.status().json() + ", not waiting.");
        }

        @Override
        public Execution retry(String executionId, boolean fromStart, boolean currentVersion)
                throws NotFoundException, ConflictException {
            Execution current = get(executionId).orElseThrow(() -> new NotFoundException("No execution '" + executionId + "'."));
            throw new ConflictException("Execution '" + executionId + "' is " + current.status().json() + "; the fake does not retry.");
        }
    }

    static final class FakePlugins implements PluginInventory {
        final Map<Long, PluginInfo> bundles = new LinkedHashMap<>();
        final Map<String, byte[]> uploads = new ConcurrentHashMap<>();

        FakePlugins() {
            bundles.put(0L, new PluginInfo(0, "org.apache.felix.framework", "7.0.5", "Felix", "active", "System Bundle",
                    false, List.of(), null));
            bundles.put(12L, new PluginInfo(12, "acme.nodes", "1.0.0", "Acme nodes", "active", "file:plugins/acme.jar",
                    true, List.of("acme.send"), null));
        }

        @Override
        public List<PluginInfo> plugins() {
            return List.copyOf(bundles.values());
        }

        @Override
        public Optional<PluginInfo> plugin(long id) {
            return Optional.ofNullable(bundles.get(id));
        }

        @Override
        public String upload(String fileName, InputStream jar) throws IOException {
            if (!fileName.endsWith(".jar") || fileName.contains("/")) {
                throw new IllegalArgumentException("'" + fileName + "' is not a JAR file name");
            }
            uploads.put(fileName, jar.readAllBytes());
            return "plugins/" + fileName;
        }

        @Override
        public void remove(long id) throws NotFoundException, ConflictException {
            PluginInfo info = plugin(id).orElseThrow(() -> new NotFoundException("No bundle " + id + "."));
            if (!info.plugin()) {
                throw new ConflictException("Bundle " + id + " is part of the platform and cannot be removed.");
            }
            bundles.remove(id);
        }
    }
}

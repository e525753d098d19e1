package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.spi.DocumentRepository;
import io.qflow.python.PythonException;
import io.qflow.python.PythonException.Kind;
import io.qflow.python.PythonService;
import io.qflow.python.spi.BackendStatus;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.PythonBackend;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.PortSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python adapter, wired: settings, interpreters, the process backend plus registered ones,
 * environments, the worker pool, analysis, saved nodes. Plain Java so tests build it without OSGi;
 * {@link PythonServiceComponent} gives it its OSGi services.
 */
public final class PythonAdapter implements PythonService, AutoCloseable {

    static final String COLLECTION = "python-nodes";
    static final String HISTORY = "python-node-versions";
    private static final Logger LOG = LoggerFactory.getLogger(PythonAdapter.class);

    private final PythonSettings settings;
    private final ObjectMapper json;
    private final DocumentRepository documents;
    private final NodeTypeRegistrar registrar;
    private final ScheduledExecutorService timer;
    private final Supplier<List<Interpreter>> interpreters;
    private final ProcessBackend process;
    private final Backends backends;
    private final Environments environments;
    private final WorkerPool pool;
    private final PythonRunner runner;
    private final CodeAnalyzer analyzer;
    private final PythonFunctions functions;
    private final FunctionNodeRunner nodeRunner;
    private final Map<String, AutoCloseable> registered = new ConcurrentHashMap<>();
    private final Object saving = new Object();

    PythonAdapter(PythonSettings settings, ObjectMapper json, DocumentRepository documents, NodeTypeRegistrar registrar) {
        this.settings = settings;
        this.json = json;
        this.documents = documents;
        this.registrar = registrar;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "python-worker-timer");
            t.setDaemon(true);
            return t;
        });
        Path workerScript = writeWorkerScript(settings.dataDir());
        this.interpreters = memoize(() -> InterpreterDiscovery.discover(settings.interpreters()));
        // Probing isolation takes a few process starts: done once, on first use (or by warmUp()).
        Supplier<HostIsolation> isolation = memoize(HostIsolation::probe);
        this.process = new ProcessBackend(interpreters, settings.dataDir().resolve("envs"), json, isolation);
        this.backends = new Backends(process);
        this.environments = new Environments(settings.pip());
        this.pool = new WorkerPool(settings.maxIdlePerPool(), settings.idleTimeout(), timer);
        ImportPolicy policy = new ImportPolicy(settings.allowImports(), settings.denyImports());
        this.runner = new PythonRunner(backends, environments, pool, timer, workerScript, json, settings.defaultVersion(),
                settings.blobThreshold(), policy);
        this.analyzer = new CodeAnalyzer(runner, Requirements.load(), policy, json);
        this.functions = new PythonFunctions(runner, analyzer, settings.limits());
        this.nodeRunner = new FunctionNodeRunner(functions, new WorkflowPythonSettings());
    }

    /** Registers {@code python.function} and every saved node. */
    void start() {
        registered.put(PythonFunctionNode.TYPE, registrar.register(new PythonFunctionNode(nodeRunner, functions)));
        for (DocumentRepository.Document d : documents.list(COLLECTION)) {
            try {
                register(SavedNode.fromJson(d.body()));
            } catch (RuntimeException e) {
                LOG.error("Saved Python node '{}' cannot be loaded: {}", d.key(), e.getMessage());
            }
        }
    }

    /** Finds interpreters and probes isolation now (in the background at start-up, so the first node does not wait). */
    void warmUp() {
        interpreters.get();
        process.status();
    }

    /** An execution ended (succeeded, failed, cancelled): its execution-bound workers (containers) go. */
    void executionFinished(String executionId) {
        pool.executionFinished(executionId);
    }

    void addBackend(PythonBackend backend) {
        backends.add(backend);
    }

    void removeBackend(PythonBackend backend) {
        if (backends.remove(backend)) {
            pool.closeBackend(backend);
        }
    }

    NodeType functionNode() {
        return new PythonFunctionNode(nodeRunner, functions);
    }

    /** For the benchmark (bench/, same package): environment specs and the process backend. */
    Environments environmentsForBench() {
        return environments;
    }

    ProcessBackend processBackendForBench() {
        return process;
    }

    // ------------------------------------------------------------------ PythonService

    @Override
    public JsonNode analyze(JsonNode request) throws PythonException {
        String code = requiredText(request, "code");
        String version = optionalText(request, "python");
        String backend = Optional.ofNullable(optionalText(request, "backend")).orElse(ProcessBackend.NAME);
        try {
            return analyzer.analyze(code, backend, version);
        } catch (CallFailure f) {
            throw failure(f);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    @Override
    public JsonNode test(JsonNode request) throws PythonException {
        FunctionConfig config = parse(request);
        JsonNode inputs = request.path("inputs");
        if (!inputs.isMissingNode() && !inputs.isNull() && !inputs.isObject()) {
            throw new PythonException(Kind.BAD_REQUEST, "python.inputs", "inputs: must be an object of parameter name -> value");
        }
        ObjectNode answer = json.createObjectNode();
        try {
            PythonFunctions.Prepared prepared = functions.prepare(config, MissingNode.getInstance());
            Map<String, JsonNode> given = new java.util.LinkedHashMap<>();
            inputs.fields().forEachRemaining(f -> given.put(f.getKey(), f.getValue()));
            Map<String, JsonNode> args = PythonFunctions.checkInputs(prepared.ports(), given);
            answer.put("python", runner.version(runner.backend(prepared.environment().backend()), prepared.environment().version()));
            PythonRunner.Result result;
            try {
                result = functions.call(prepared, args, null, null, line -> { }, () -> false);
            } catch (CallFailure f) {
                if (!isTestOutcome(f)) {
                    throw f;
                }
                answer.put("passed", false);
                answer.put("stdout", f.stdout());
                answer.put("stderr", f.stderr());
                answer.set("error", errorJson(f));
                return answer;
            }
            ObjectNode outputs = answer.putObject("outputs");
            PythonFunctions.outputs(prepared, result.result()).forEach(outputs::set);
            answer.set("result", result.result());
            answer.put("stdout", result.stdout());
            answer.put("stderr", result.stderr());
            answer.put("durationMs", result.durationMs());
            JsonNode expected = request.get("expected");
            boolean passed = expected == null || JsonEquality.equal(expected, result.result());
            answer.put("passed", passed);
            if (expected != null) {
                answer.set("expected", expected);
            }
            return answer;
        } catch (CallFailure f) {
            throw failure(f);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** Failures that are the answer of a test (the function raised, timed out, crashed), not a bad request. */
    private static boolean isTestOutcome(CallFailure f) {
        return f.workerFault() || f.code().equals("python.exception") || f.code().equals("python.serialise")
                || f.code().equals("python.outputs") || f.code().equals("python.timeout") || f.code().equals("python.memory");
    }

    private static ObjectNode errorJson(CallFailure f) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("code", f.code());
        e.put("type", f.type());
        e.put("message", f.getMessage());
        if (f.traceback() != null) {
            e.put("traceback", f.traceback());
        }
        if (f.line() != null) {
            e.put("line", f.line());
        }
        return e;
    }

    @Override
    public JsonNode saveNode(JsonNode request) throws PythonException {
        String name = requiredText(request, "name");
        if (!name.matches(SavedNode.NAME_PATTERN)) {
            throw new PythonException(Kind.BAD_REQUEST, "python.name", "name: '" + name + "' must match " + SavedNode.NAME_PATTERN
                    + " (it becomes the node type python.user." + name + ")");
        }
        FunctionConfig config = parse(request);
        PythonFunctions.Prepared prepared;
        try {
            prepared = functions.prepare(config, MissingNode.getInstance());
        } catch (CallFailure f) {
            throw failure(f);
        } catch (InterruptedException e) {
            throw interrupted();
        }
        ObjectNode stored = json.createObjectNode();
        for (String field : new String[] {"code", "function", "python", "backend", "requirements", "types", "outputs", "limits"}) {
            if (request.hasNonNull(field)) {
                stored.set(field, request.get(field));
            }
        }
        if (!config.requirements().isEmpty()) {
            ArrayNode reqs = stored.putArray("requirements");
            config.requirements().forEach(reqs::add); // requirementsTxt folded in
        }
        String docstring = prepared.function().path("docstring").asText("");
        String description = Optional.ofNullable(optionalText(request, "description"))
                .orElse(docstring.isBlank() ? "Python function " + config.function() + "()" : docstring.strip());
        String title = Optional.ofNullable(optionalText(request, "title")).orElse(name);
        synchronized (saving) {
            int version = documents.find(COLLECTION, name).map(d -> d.path("version").asInt(0)).orElse(0) + 1;
            SavedNode node = new SavedNode(name, version, title, description, stored, prepared.ports(), Instant.now());
            ObjectNode body = node.toJson();
            documents.put(HISTORY, name + "@" + version, body);
            documents.put(COLLECTION, name, body);
            register(node);
            return body;
        }
    }

    private void register(SavedNode node) {
        AutoCloseable previous = registered.put(node.type(), registrar.register(new UserPythonNode(node, nodeRunner)));
        close(previous);
    }

    @Override
    public List<JsonNode> nodes() {
        return documents.list(COLLECTION).stream().map(DocumentRepository.Document::body).toList();
    }

    @Override
    public Optional<JsonNode> node(String name) {
        return documents.find(COLLECTION, name);
    }

    @Override
    public boolean deleteNode(String name) {
        synchronized (saving) {
            boolean deleted = documents.delete(COLLECTION, name);
            close(registered.remove(UserPythonNode.PREFIX + name));
            return deleted;
        }
    }

    @Override
    public JsonNode interpreters() {
        ObjectNode answer = json.createObjectNode();
        ArrayNode list = answer.putArray("interpreters");
        for (Interpreter i : interpreters.get()) {
            list.addObject().put("version", i.version()).put("full", i.full()).put("path", i.path().toString());
        }
        if (settings.defaultVersion() != null) {
            answer.put("default", settings.defaultVersion());
        } else if (!interpreters.get().isEmpty()) {
            answer.put("default", interpreters.get().get(interpreters.get().size() - 1).version());
        }
        ArrayNode bs = answer.putArray("backends");
        for (PythonBackend b : backends.all().stream().sorted(Comparator.comparing(PythonBackend::name)).toList()) {
            BackendStatus s = b.status();
            ObjectNode o = bs.addObject();
            o.put("name", b.name());
            o.put("available", s.available());
            ArrayNode versions = o.putArray("versions");
            s.versions().forEach(versions::add);
            o.set("limits", json.valueToTree(s.enforced()));
            o.put("message", s.message());
        }
        return answer;
    }

    @Override
    public JsonNode environments() {
        ArrayNode list = json.createArrayNode();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Environments.Build b : environments.builds()) {
            seen.add(b.backend + "/" + b.spec.key());
            list.add(environmentJson(b.spec, b.backend, b.state()));
        }
        Path envs = settings.dataDir().resolve("envs");
        if (Files.isDirectory(envs)) {
            try (Stream<Path> dirs = Files.list(envs)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path marker = dir.resolve(Environments.MARKER);
                    if (Files.isRegularFile(marker) && seen.add(ProcessBackend.NAME + "/" + dir.getFileName())) {
                        JsonNode m = json.readTree(marker.toFile());
                        ObjectNode o = list.addObject();
                        o.put("key", m.path("key").asText());
                        o.put("backend", ProcessBackend.NAME);
                        o.put("python", m.path("python").asText());
                        o.set("requirements", m.path("requirements"));
                        o.put("state", "ready");
                    }
                }
            } catch (IOException e) {
                LOG.warn("Cannot list Python environments in {}: {}", envs, e.getMessage());
            }
        }
        ObjectNode answer = json.createObjectNode();
        answer.set("environments", list);
        return answer;
    }

    private ObjectNode environmentJson(EnvironmentSpec spec, String backend, String state) {
        ObjectNode o = json.createObjectNode();
        o.put("key", spec.key());
        o.put("backend", backend);
        o.put("python", spec.pythonVersion());
        ArrayNode reqs = o.putArray("requirements");
        spec.requirements().forEach(reqs::add);
        o.put("state", state);
        return o;
    }

    @Override
    public JsonNode prepareEnvironment(JsonNode request, Consumer<String> progress) throws PythonException {
        String backendName = Optional.ofNullable(optionalText(request, "backend")).orElse(ProcessBackend.NAME);
        String version = optionalText(request, "python");
        List<String> explicit = new ArrayList<>();
        List<String> inferred = new ArrayList<>();
        try {
            JsonNode reqs = request.path("requirements");
            if (!reqs.isMissingNode() && !reqs.isNull()) {
                if (!reqs.isArray()) {
                    throw new PythonException(Kind.BAD_REQUEST, "python.requirements", "requirements: must be an array of specifiers");
                }
                reqs.forEach(r -> explicit.add(r.asText()));
            }
            String txt = optionalText(request, "requirementsTxt");
            if (txt != null) {
                explicit.addAll(Requirements.parseRequirementsTxt(txt));
            }
            String code = optionalText(request, "code");
            if (code != null) {
                JsonNode analysis = analyzer.analyze(code, backendName, version);
                if (analysis.has("syntaxError")) {
                    JsonNode s = analysis.get("syntaxError");
                    throw new PythonException(Kind.UNPROCESSABLE, "python.syntax", "code: " + s.path("message").asText() + " at line "
                            + s.path("line").asInt() + ", column " + s.path("column").asInt());
                }
                analysis.path("thirdParty").forEach(r -> inferred.add(r.asText()));
            }
            List<String> requirements = analyzer.requirements().forEnvironment(inferred, explicit);
            PythonBackend backend = runner.backend(backendName);
            EnvironmentSpec spec = runner.prepare(backend, new EnvironmentChoice(backendName, version, requirements), progress);
            return environmentJson(spec, backendName, "ready");
        } catch (IllegalArgumentException e) {
            throw new PythonException(Kind.BAD_REQUEST, "python.requirements", e.getMessage());
        } catch (CallFailure f) {
            throw failure(f);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    @Override
    public Map<String, Integer> workerPools() {
        return pool.sizes();
    }

    @Override
    public void close() {
        registered.values().forEach(PythonAdapter::close);
        registered.clear();
        pool.close();
        timer.shutdownNow();
    }

    // ------------------------------------------------------------------ helpers

    private static FunctionConfig parse(JsonNode request) throws PythonException {
        if (request == null || !request.isObject()) {
            throw new PythonException(Kind.BAD_REQUEST, "python.request", "the request body must be a JSON object");
        }
        try {
            return FunctionConfig.parse(request, true);
        } catch (IllegalArgumentException e) {
            throw new PythonException(Kind.BAD_REQUEST, "config.invalid", e.getMessage(), null, List.of(e.getMessage().split("; ")));
        }
    }

    static PythonException failure(CallFailure f) {
        Kind kind = switch (f.code()) {
            case "python.backend_unavailable" -> Kind.UNAVAILABLE;
            case "python.version_unavailable", "python.syntax", "python.no_function", "python.policy", "python.inputs",
                 "python.install_failed", "python.arguments" -> Kind.UNPROCESSABLE;
            case "config.invalid" -> Kind.BAD_REQUEST;
            default -> f.workerFault() ? Kind.UNAVAILABLE : Kind.UNPROCESSABLE;
        };
        String detail = f.traceback();
        return new PythonException(kind, f.code(), f.getMessage(), detail, List.of());
    }

    /** The calling thread was interrupted (the server is stopping): keep the flag, answer 503. */
    private static PythonException interrupted() {
        Thread.currentThread().interrupt();
        return new PythonException(Kind.UNAVAILABLE, "python.interrupted", "interrupted: the server is stopping");
    }

    private static String requiredText(JsonNode request, String field) throws PythonException {
        String v = optionalText(request, field);
        if (v == null) {
            throw new PythonException(Kind.BAD_REQUEST, "python.request", field + ": required (a string)");
        }
        return v;
    }

    private static String optionalText(JsonNode request, String field) throws PythonException {
        if (request == null || !request.isObject()) {
            throw new PythonException(Kind.BAD_REQUEST, "python.request", "the request body must be a JSON object");
        }
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new PythonException(Kind.BAD_REQUEST, "python.request", field + ": must be a string");
        }
        return v.asText().isBlank() ? null : v.asText();
    }

    private static void close(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("Unregistering a Python node type failed: {}", e.getMessage());
        }
    }

    private static Path writeWorkerScript(Path dataDir) {
        try (InputStream in = PythonAdapter.class.getResourceAsStream("worker.py")) {
            Files.createDirectories(dataDir);
            Path target = dataDir.resolve("worker.py");
            Path temp = Files.createTempFile(dataDir, "worker", ".py");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            temp.toFile().setReadable(true, false);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Python worker script under " + dataDir, e);
        }
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = supplier.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }
}

package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.python.spi.BackendStatus;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.Limits;
import io.qflow.python.spi.PythonBackend;
import io.qflow.python.spi.PythonBackendException;
import io.qflow.python.spi.WorkerSpec;
import io.qflow.sdk.BlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs Python: picks the backend and environment (preparing it once), takes a warm worker from the
 * pool, converts values between the engine and the worker (PROTOCOL.md, "Values"), and turns every
 * way a call can fail into a {@link CallFailure}. Thread-safe.
 */
final class PythonRunner {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Backends backends;
    private final Environments environments;
    private final WorkerPool pool;
    private final ScheduledExecutorService timer;
    private final Path workerScript;
    private final ObjectMapper json;
    private final String defaultVersion;
    private final ValueCodec codec;
    /** Sent to every new worker when an import policy is set (PROTOCOL.md, "configure"); else null. */
    private final ObjectNode configure;

    PythonRunner(Backends backends, Environments environments, WorkerPool pool, ScheduledExecutorService timer, Path workerScript,
                 ObjectMapper json, String defaultVersion, long blobThreshold, ImportPolicy policy) {
        this.backends = backends;
        this.environments = environments;
        this.pool = pool;
        this.timer = timer;
        this.workerScript = workerScript;
        this.json = json;
        this.defaultVersion = defaultVersion;
        this.codec = new ValueCodec(blobThreshold);
        this.configure = policy.configureRequest();
    }

    /** The result of a call that returned. */
    record Result(JsonNode result, String stdout, String stderr, double durationMs, String worker) {
    }

    PythonBackend backend(String name) throws CallFailure {
        PythonBackend backend = backends.get(name).orElseThrow(() -> CallFailure.of("python.backend_unavailable",
                "no Python backend '" + name + "' is installed (available: "
                        + String.join(", ", backends.all().stream().map(PythonBackend::name).sorted().toList()) + ")"));
        return backend;
    }

    /** The version to use: the asked one, else the configured default, else the newest the backend has. */
    String version(PythonBackend backend, String asked) throws CallFailure {
        BackendStatus status = backend.status();
        if (!status.available()) {
            throw CallFailure.of("python.backend_unavailable", "the Python backend '" + backend.name() + "' is unavailable: " + status.message());
        }
        String version = asked != null ? asked : defaultVersion != null && status.versions().contains(defaultVersion) ? defaultVersion
                : status.versions().isEmpty() ? null : status.versions().get(status.versions().size() - 1);
        if (version == null || !status.versions().contains(version)) {
            throw CallFailure.of("python.version_unavailable", "Python " + (version == null ? "" : version + " ")
                    + "is not available on the '" + backend.name() + "' backend (available: " + String.join(", ", status.versions()) + ")");
        }
        return version;
    }

    /** Resolves and prepares an environment; pip's output goes to {@code progress}. */
    EnvironmentSpec prepare(PythonBackend backend, EnvironmentChoice choice, Consumer<String> progress) throws CallFailure, InterruptedException {
        EnvironmentSpec spec = environments.spec(version(backend, choice.version()), choice.requirements());
        try {
            environments.prepare(backend, spec, progress);
        } catch (PythonBackendException e) {
            throw new CallFailure(e.code(), e.code(), e.getMessage(), e.detail(), null, null, null, false);
        }
        return spec;
    }

    /**
     * Calls a function in a warm worker.
     *
     * @param blobs     the blob store for large and binary values, or null
     * @param log       lines worth putting in the node's log (limits not enforced, worker started)
     * @param cancelled polled while the call runs; true kills the worker
     */
    Result call(Invocation call, BlobStore blobs, Consumer<String> log, BooleanSupplier cancelled) throws CallFailure, InterruptedException {
        PythonBackend backend = backend(call.environment().backend());
        EnvironmentSpec env = prepare(backend, call.environment(), line -> { });
        String hash = sha256(call.code());
        ObjectNode request = json.createObjectNode();
        request.put("op", "call");
        request.put("hash", hash);
        request.put("function", call.function());
        ObjectNode args = request.putObject("args");
        for (Map.Entry<String, JsonNode> a : call.args().entrySet()) {
            args.set(a.getKey(), codec.toWorker(a.getValue(), blobs));
        }
        if (!call.outputs().isEmpty()) {
            request.putPOJO("outputs", call.outputs());
        }
        JsonNode reply = exchange(backend, env, call.limits(), call.executionId(), request, hash, call.code(), log, cancelled);
        if (!reply.path("ok").asBoolean()) {
            JsonNode e = reply.path("error");
            throw new CallFailure(e.path("code").asText("python.exception"), e.path("type").asText("Exception"),
                    e.path("message").asText("the call failed"), e.path("traceback").asText(null),
                    e.hasNonNull("line") ? e.path("line").asInt() : null, reply.path("stdout").asText(""), reply.path("stderr").asText(""),
                    "python.memory".equals(e.path("code").asText()));
        }
        return new Result(codec.fromWorker(reply.path("result"), blobs), reply.path("stdout").asText(""), reply.path("stderr").asText(""),
                reply.path("durationMs").asDouble(), "");
    }

    /** Sends a request other than a call (analyze) to a worker of the bare interpreter. */
    JsonNode request(String backendName, String version, ObjectNode request) throws CallFailure, InterruptedException {
        PythonBackend backend = backend(backendName);
        EnvironmentSpec env = prepare(backend, new EnvironmentChoice(backendName, version, List.of()), line -> { });
        JsonNode reply = exchange(backend, env, Limits.DEFAULT, null, request, null, null, line -> { }, () -> false);
        if (!reply.path("ok").asBoolean()) {
            JsonNode e = reply.path("error");
            throw new CallFailure(e.path("code").asText("python.worker"), e.path("type").asText(), e.path("message").asText(),
                    e.path("traceback").asText(null), null, null, null, true);
        }
        return reply;
    }

    private JsonNode exchange(PythonBackend backend, EnvironmentSpec env, Limits limits, String executionId, ObjectNode request,
                              String hash, String code, Consumer<String> log, BooleanSupplier cancelled) throws CallFailure {
        String scopeId = backend.scope() == PythonBackend.WorkerScope.EXECUTION ? executionId : null;
        WorkerPool.Key key = new WorkerPool.Key(backend, env.key(), limits, scopeId);
        WorkerConnection worker;
        try {
            worker = pool.acquire(key, k -> start(backend, env, limits, executionId, log));
        } catch (WorkerConnection.WorkerFailure e) {
            throw new CallFailure(e.code(), e.code(), e.getMessage(), null, null, null, null, true);
        }
        if (hash != null) {
            if (!worker.hasModule(hash)) {
                request.put("code", code);
            } else {
                request.remove("code");
            }
        }
        JsonNode reply;
        try {
            reply = worker.call(request, limits.timeout(), cancelled);
        } catch (WorkerConnection.WorkerFailure e) {
            pool.discard(key, worker);
            throw new CallFailure(e.code(), e.code(), e.getMessage(), null, null, null, null, true);
        }
        if (hash != null && !"python.syntax".equals(reply.path("error").path("code").asText())) {
            worker.loadedModule(hash);
        }
        if ("python.memory".equals(reply.path("error").path("code").asText())) {
            // A worker that ran out of memory may hold on to half-built objects: start clean next time.
            pool.discard(key, worker);
        } else {
            pool.release(key, worker);
        }
        return reply;
    }

    private WorkerConnection start(PythonBackend backend, EnvironmentSpec env, Limits limits, String executionId, Consumer<String> log)
            throws WorkerConnection.WorkerFailure {
        try {
            WorkerConnection c = WorkerConnection.open(backend.start(new WorkerSpec(env, limits, executionId, workerScript)), json, timer,
                    START_TIMEOUT);
            JsonNode reported = c.hello().path("limits");
            backend.status().enforced().forEach((limit, how) -> {
                if (how.startsWith(BackendStatus.NOT_ENFORCED)) {
                    log.accept("limit '" + limit + "' is " + how);
                }
            });
            reported.fields().forEachRemaining(f -> {
                if (f.getValue().asText().startsWith(BackendStatus.NOT_ENFORCED)) {
                    log.accept("limit '" + f.getKey() + "' is " + f.getValue().asText());
                }
            });
            if (configure != null) {
                JsonNode configured = c.call(configure.deepCopy(), START_TIMEOUT, () -> false);
                if (!configured.path("ok").asBoolean()) {
                    c.kill();
                    throw new WorkerConnection.WorkerFailure("python.worker_start", "the worker refused the import policy: "
                            + configured.path("error").path("message").asText(), null);
                }
            }
            log.accept("started Python " + c.hello().path("python").asText() + " worker (" + c.describe() + ")");
            return c;
        } catch (PythonBackendException e) {
            throw new WorkerConnection.WorkerFailure(e.code(), e.getMessage(), null);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.qflow.python.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.qflow.python.spi.BackendStatus;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.PythonBackend;
import io.qflow.python.spi.PythonBackendException;
import io.qflow.python.spi.WorkerProcess;
import io.qflow.python.spi.WorkerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code docker} Python backend: workers run in containers of a Docker engine
 * ({@code qflow.python.docker.host}), one container per workflow execution (per environment and
 * limits), reused by all Python nodes of that execution and removed when it ends. Warm containers,
 * each with a worker already running, hide the start latency.
 */
@Component(service = PythonBackend.class, immediate = true)
public class DockerPythonBackend implements PythonBackend, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerPythonBackend.class);
    private static final long STATUS_TTL_NANOS = Duration.ofSeconds(5).toNanos();

    private final DockerSettings settings;
    private final DockerClient client;
    private final EnvironmentImages images;
    private final ContainerFactory factory;
    private final ContainerPool pool;
    /* execution id -> its containers (normally one; more when its nodes use several environments or limits) */
    private final Map<String, Map<ContainerKey, WorkerContainer>> executions = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> executionLocks = new ConcurrentHashMap<>();
    private volatile CachedStatus status;

    private record CachedStatus(BackendStatus status, long at) {
    }

    @Activate
    public DockerPythonBackend(BundleContext context) {
        this(DockerSettings.from(context::getProperty), ownerOf(context.getProperty("qflow.data")));
    }

    /**
     * @param owner names this runtime on a shared engine: its containers carry it, and those left by
     *              an earlier run with the same owner are removed in the background
     */
    public DockerPythonBackend(DockerSettings settings, String owner) {
        this.settings = settings;
        this.client = newClient(settings.host());
        String instance = UUID.randomUUID().toString();
        this.images = new EnvironmentImages(client, settings.images(), owner);
        this.factory = new ContainerFactory(client, owner, instance, settings.user());
        this.pool = new ContainerPool(factory, settings.poolSize());
        Thread.ofVirtual().name("qflow-docker-orphans").start(() -> {
            try {
                factory.removeOrphans();
            } catch (RuntimeException e) {
                LOG.info("Docker engine {} not reachable yet: {}", settings.host(), e.toString());
            }
        });
    }

    public static DockerClient newClient(String host) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                // every live worker holds one hijacked connection
                .maxConnections(1024)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** The runtime's identity on the engine: a hash of its data folder. */
    static String ownerOf(String dataFolder) {
        String path = Path.of(dataFolder == null || dataFolder.isBlank() ? "data" : dataFolder).toAbsolutePath()
                .normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public WorkerScope scope() {
        return WorkerScope.EXECUTION;
    }

    @Override
    public BackendStatus status() {
        CachedStatus cached = status;
        if (cached == null || System.nanoTime() - cached.at() > STATUS_TTL_NANOS) {
            cached = new CachedStatus(probe(), System.nanoTime());
            status = cached;
        }
        return cached.status();
    }

    private BackendStatus probe() {
        Map<String, String> enforced = new LinkedHashMap<>();
        enforced.put("timeout", "the adapter kills the worker's container (SIGKILL to every process in it)");
        enforced.put("memory", "container memory limit, swap included (cgroup memory)");
        enforced.put("cpu", "container CPU limit (NanoCpus, cgroup cpu quota)");
        enforced.put("network", "container without network (--network none; only loopback)");
        enforced.put("processes", "container pids limit (cgroup pids.max)");
        try {
            String version = client.versionCmd().exec().getVersion();
            List<String> versions = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, String> e : settings.images().entrySet()) {
                (images.exists(e.getValue()) ? versions : missing).add(e.getKey());
            }
            String message = "Docker " + version + " at " + settings.host() + "; images " + settings.images()
                    + (missing.isEmpty() ? "" : "; missing images for Python " + missing
                            + " (scripts/docker-test-engine.sh start builds them)");
            return new BackendStatus(true, versions, enforced, message);
        } catch (RuntimeException e) {
            enforced.replaceAll((k, v) -> BackendStatus.NOT_ENFORCED + "no Docker engine");
            return new BackendStatus(false, List.of(), enforced, unreachable(e));
        }
    }

    private String unreachable(RuntimeException e) {
        return "the Docker engine at " + settings.host() + " (qflow.python.docker.host) cannot be reached: " + e
                + ". Start one, e.g. scripts/docker-test-engine.sh start, and set qflow.python.docker.host to the socket it prints";
    }

    @Override
    public void prepare(EnvironmentSpec environment, Consumer<String> progress) throws PythonBackendException {
        try {
            images.prepare(environment, progress);
        } catch (PythonBackendException e) {
            throw e;
        } catch (RuntimeException e) {
            status = null;
            throw new PythonBackendException("python.backend_unavailable", unreachable(e), null, e);
        }
    }

    @Override
    public WorkerProcess start(WorkerSpec spec) throws PythonBackendException {
        ContainerKey key = ContainerKey.of(images.imageOf(spec.environment()), spec.limits(), spec.workerScript());
        try {
            if (spec.executionId() == null) {
                return oneOff(key);
            }
            ReentrantLock lock = executionLocks.computeIfAbsent(spec.executionId(), id -> new ReentrantLock());
            lock.lock();
            try {
                Map<ContainerKey, WorkerContainer> mine =
                        executions.computeIfAbsent(spec.executionId(), id -> new ConcurrentHashMap<>());
                WorkerContainer container = mine.get(key);
                if (container != null && container.isAlive()) {
                    return container.execWorker();
                }
                ContainerPool.Warm warm = pool.take(key);
                if (warm != null) {
                    mine.put(key, warm.container());
                    return warm.worker();
                }
                container = factory.start(key);
                mine.put(key, container);
                return firstWorker(container);
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            status = null;
            throw new PythonBackendException("python.worker_start", "could not start a worker in " + key.image()
                    + " on the Docker engine at " + settings.host() + ": " + e, null, e);
        }
    }

    /* Work outside an execution (analysis, a test call): its container goes away with its worker. */
    private WorkerProcess oneOff(ContainerKey key) {
        ContainerPool.Warm warm = pool.take(key);
        WorkerContainer container = warm != null ? warm.container() : factory.start(key);
        WorkerProcess worker = warm != null ? warm.worker() : firstWorker(container);
        container.removeWhenIdle();
        return worker;
    }

    /* A fresh container whose first worker cannot start is of no use to anyone. */
    private static WorkerProcess firstWorker(WorkerContainer container) {
        try {
            return container.execWorker();
        } catch (RuntimeException e) {
            container.remove();
            throw e;
        }
    }

    @Override
    public void executionFinished(String executionId) {
        Map<ContainerKey, WorkerContainer> mine = executions.remove(executionId);
        executionLocks.remove(executionId);
        if (mine != null) {
            mine.values().forEach(WorkerContainer::remove);
        }
    }

    /** Containers per execution and warm containers per image: for metrics and tests. */
    public Map<String, Integer> containers() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("executions", executions.size());
        pool.sizes().forEach((image, n) -> counts.put("warm " + image, n));
        return counts;
    }

    /** The ids of the live containers an execution holds (tests: reuse and removal). */
    public List<String> containersOf(String executionId) {
        Map<ContainerKey, WorkerContainer> mine = executions.get(executionId);
        return mine == null ? List.of()
                : mine.values().stream().filter(WorkerContainer::isAlive).map(WorkerContainer::id).toList();
    }

    @Deactivate
    @Override
    public void close() {
        pool.close();
        executions.keySet().forEach(this::executionFinished);
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing the Docker client", e);
        }
    }
}

package io.qflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import io.qflow.python.docker.internal.BytePipe;
import io.qflow.python.docker.internal.DockerPythonBackend;
import io.qflow.python.docker.internal.DockerSettings;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.Limits;
import io.qflow.python.spi.PipOptions;
import io.qflow.python.spi.WorkerProcess;
import io.qflow.python.spi.WorkerSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Docker backend's costs on a real engine (QFLOW_TEST_DOCKER_HOST, else the socket of
 * scripts/docker-test-engine.sh), medians:
 * <ol>
 *   <li>cold start: a new container (default limits, --network none) until its worker's hello frame,
 *       once with the worker {@code docker exec -i}'d into an idle container (what the backend does)
 *       and once as the container's main process with an attached stdin ({@code docker run -i});</li>
 *   <li>warm start: the backend hands over a pooled container whose worker already runs;</li>
 *   <li>per call: round trip of a call to a function that does nothing, on a warm worker, over the
 *       exec stream and over the attach stream.</li>
 * </ol>
 * Usage: {@code DockerBackendBenchmark [coldRuns] [calls]}.
 */
public final class DockerBackendBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE_VERSION = "3.11";
    private static final Map<String, String> IMAGES = Map.of("3.11", "qflow/python:3.11", "3.13", "qflow/python:3.13");
    private static final String NOOP = "def noop():\n    return None\n";

    private DockerBackendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int coldRuns = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        String host = System.getenv().getOrDefault("QFLOW_TEST_DOCKER_HOST", "unix:///tmp/qflow-docker/docker.sock");
        Path script = workerScript();
        EnvironmentSpec env = new EnvironmentSpec("bare-3-11", IMAGE_VERSION, List.of(), new PipOptions(null, List.of(), true));
        String owner = "bench-" + UUID.randomUUID().toString().substring(0, 8);

        try (DockerClient docker = DockerPythonBackend.newClient(host)) {
            try {
                docker.pingCmd().exec();
            } catch (RuntimeException e) {
                System.out.println("no Docker engine at " + host + ": start one with scripts/docker-test-engine.sh start ("
                        + e + ")");
                return;
            }
            String engine = docker.versionCmd().exec().getVersion();
            System.out.printf("Docker %s at %s, image %s, default limits (512 MiB, 0.5 CPU, 64 pids, no network)%n",
                    engine, host, IMAGES.get(IMAGE_VERSION));

            double[] coldExec = new double[coldRuns];
            double[] coldAttach = new double[coldRuns];
            double[] warmStart = new double[coldRuns];
            double[] execCalls;
            double[] attachCalls;
            try (DockerPythonBackend cold = new DockerPythonBackend(new DockerSettings(host, IMAGES, 0, "65534:65534"), owner)) {
                cold.prepare(env, line -> { });
                for (int i = 0; i < coldRuns; i++) {
                    String execution = "bench-" + i;
                    long t0 = System.nanoTime();
                    Client client = new Client(cold.start(new WorkerSpec(env, Limits.DEFAULT, execution, script)));
                    coldExec[i] = ms(t0);
                    client.call(NOOP);
                    cold.executionFinished(execution);
                    // the alternative right after, under the same load
                    t0 = System.nanoTime();
                    try (Attached attached = Attached.run(docker, script, owner)) {
                        new Client(attached.in, attached.out);
                        coldAttach[i] = ms(t0);
                    }
                }
                // per call: the exec stream and the attach stream side by side, in alternating blocks,
                // so that load from elsewhere on the machine hits both alike
                String execution = "bench-calls";
                Client exec = new Client(cold.start(new WorkerSpec(env, Limits.DEFAULT, execution, script)));
                try (Attached attached = Attached.run(docker, script, owner)) {
                    Client attach = new Client(attached.in, attached.out);
                    perCall(exec, 200);
                    perCall(attach, 200);
                    int blocks = 10;
                    execCalls = new double[calls / blocks * blocks];
                    attachCalls = new double[execCalls.length];
                    for (int b = 0; b < blocks; b++) {
                        System.arraycopy(perCall(exec, calls / blocks), 0, execCalls, b * (calls / blocks), calls / blocks);
                        System.arraycopy(perCall(attach, calls / blocks), 0, attachCalls, b * (calls / blocks), calls / blocks);
                    }
                }
                cold.executionFinished(execution);
            }
            try (DockerPythonBackend pooled = new DockerPythonBackend(new DockerSettings(host, IMAGES, 1, "65534:65534"), owner)) {
                pooled.prepare(env, line -> { });
                new Client(pooled.start(new WorkerSpec(env, Limits.DEFAULT, "bench-prime", script))).call(NOOP);
                pooled.executionFinished("bench-prime");
                for (int i = 0; i < coldRuns; i++) {
                    awaitWarm(pooled);
                    String execution = "bench-warm-" + i;
                    long t0 = System.nanoTime();
                    Client client = new Client(pooled.start(new WorkerSpec(env, Limits.DEFAULT, execution, script)));
                    warmStart[i] = ms(t0);
                    client.call(NOOP);
                    pooled.executionFinished(execution);
                }
            }


            System.out.printf("%-62s %9s %9s%n", "", "median", "p90");
            row("cold container -> worker ready, docker exec -i (backend)", coldExec);
            row("cold container -> worker ready, docker run -i + attach", coldAttach);
            row("warm pooled container -> worker ready (backend)", warmStart);
            row("per call, warm worker, exec stream (backend), " + calls + " calls", execCalls);
            row("per call, warm worker, attach stream, " + calls + " calls", attachCalls);
        }
    }

    private static void awaitWarm(DockerPythonBackend backend) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (backend.containers().getOrDefault("warm " + IMAGES.get(IMAGE_VERSION), 0) < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no warm container within 30 s");
            }
            Thread.sleep(5);
        }
    }

    private static double[] perCall(Client client, int calls) throws IOException {
        double[] times = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            client.call(NOOP);
            times[i] = ms(t0);
        }
        return times;
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void row(String label, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%-62s %6.2f ms %6.2f ms%n", label, sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.9))]);
    }

    /** worker.py of the Python adapter, world-readable for the containers' unprivileged user. */
    private static Path workerScript() throws IOException {
        Path file = Files.createTempFile("qflow-bench-worker", ".py");
        file.toFile().deleteOnExit();
        try (InputStream in = DockerBackendBenchmark.class.getClassLoader()
                .getResourceAsStream("io/qflow/python/internal/worker.py")) {
            if (in == null) {
                throw new IllegalStateException("worker.py of io.qflow.python is not on the class path");
            }
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** The adapter's side of the framed protocol, just enough to time calls. */
    private static final class Client {
        private final DataInputStream in;
        private final DataOutputStream out;
        private int id;

        Client(WorkerProcess worker) throws IOException {
            this(worker.stdout(), worker.stdin());
        }

        Client(InputStream stdout, OutputStream stdin) throws IOException {
            this.in = new DataInputStream(stdout);
            this.out = new DataOutputStream(stdin);
            JsonNode hello = read();
            if (!"hello".equals(hello.path("type").asText())) {
                throw new IOException("expected hello, got " + hello);
            }
        }

        void call(String code) throws IOException {
            ObjectNode request = JSON.createObjectNode();
            request.put("id", ++id);
            request.put("op", "call");
            try {
                request.put("hash", HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8))));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            request.put("code", code);
            request.put("function", "noop");
            request.putObject("args");
            byte[] bytes = JSON.writeValueAsBytes(request);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            JsonNode reply = read();
            if (!reply.path("ok").asBoolean()) {
                throw new IOException("call failed: " + reply);
            }
        }

        private JsonNode read() throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return JSON.readTree(bytes);
        }
    }

    /** The alternative the backend does not use: the worker as the container's main process, attached. */
    private static final class Attached implements AutoCloseable {
        final DockerClient docker;
        final String id;
        final BytePipe stdin = new BytePipe(64 * 1024);
        final BytePipe stdout = new BytePipe(256 * 1024);
        final InputStream in = stdout.inputStream();
        final OutputStream out = stdin.outputStream();

        private Attached(DockerClient docker, String id) {
            this.docker = docker;
            this.id = id;
        }

        static Attached run(DockerClient docker, Path script, String owner) throws InterruptedException {
            long memory = Limits.DEFAULT.memoryBytes();
            String id = docker.createContainerCmd(IMAGES.get(IMAGE_VERSION))
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withMemory(memory)
                            .withMemorySwap(memory).withNanoCPUs(500_000_000L).withPidsLimit(66L)
                            .withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=64m,mode=1777"))
                            .withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges")).withInit(true)
                            .withBinds(new Bind(script.toString(), new Volume("/qflow/worker.py"), AccessMode.ro)))
                    .withUser("65534:65534").withWorkingDir("/tmp").withEnv("HOME=/tmp", "LANG=C.UTF-8")
                    .withLabels(Map.of("io.qflow.python.docker.owner", owner))
                    .withStdinOpen(true).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                    .withCmd("python3", "-u", "-I", "-X", "utf8", "/qflow/worker.py")
                    .exec().getId();
            Attached attached = new Attached(docker, id);
            CountDownLatch started = new CountDownLatch(1);
            // attach before start, so that the hello frame cannot be missed
            docker.attachContainerCmd(id).withStdIn(attached.stdin.inputStream()).withStdOut(true).withStdErr(true)
                    .withFollowStream(true).exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onStart(java.io.Closeable stream) {
                            super.onStart(stream);
                            started.countDown();
                        }

                        @Override
                        public void onNext(Frame frame) {
                            if (frame.getStreamType() == StreamType.STDOUT || frame.getStreamType() == StreamType.RAW) {
                                try {
                                    attached.stdout.outputStream().write(frame.getPayload());
                                } catch (IOException e) {
                                    // closed
                                }
                            }
                        }

                        @Override
                        public void onComplete() {
                            attached.stdout.closeWriter();
                        }
                    });
            started.await(30, TimeUnit.SECONDS);
            docker.startContainerCmd(id).exec();
            return attached;
        }

        @Override
        public void close() {
            stdin.closeWriter();
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

}

package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Engine;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.spi.DocumentRepository;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.Limits;
import io.qflow.python.spi.WorkerSpec;
import io.qflow.sdk.NodeType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Python nodes, side by side in one run (issue 4, "Measure it"):
 * <ol>
 *   <li>a chain of 40 {@code python.function} nodes, each computing fib(10) recursively, end to end
 *       on the real engine (in-memory store) with the process backend: wall time per execution;</li>
 *   <li>the same 40 fib(10) calls in one plain Python process: the limit;</li>
 *   <li>per-call overhead of a warm worker (a node run of a function that returns at once, minus the
 *       time the function itself took), of a cold plain process ({@code python -c}), and of a cold
 *       sandboxed worker of the process backend (start, hello, one call, kill).</li>
 * </ol>
 * Medians over the runs. Lives in the adapter's package (on the class path, outside OSGi) to reach
 * its package-private parts without making them public for a benchmark.
 *
 * <pre>java -cp 'bench/target/qflow-bench-*.jar:bench/target/lib/*' io.qflow.python.internal.PythonBenchmark [runs] [version]</pre>
 */
public final class PythonBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHAIN = 40;
    private static final String FIB = """
            def fib(n: int) -> int:
                return n if n < 2 else fib(n - 1) + fib(n - 2)

            def step(previous: int = 0) -> int:
                return fib(10)

            def noop() -> int:
                return 1
            """;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String version = args.length > 1 ? args[1] : "3.13";
        Path data = Files.createTempDirectory("qflow-python-bench");
        PythonSettings settings = PythonSettings.from(Map.of("qflow.data", data.toString(), "qflow.python.version", version)::get);
        try (PythonAdapter adapter = new PythonAdapter(settings, JSON, new NoDocuments(), type -> () -> { })) {
            adapter.warmUp();
            NodeType function = adapter.functionNode();
            Interpreter python = InterpreterDiscovery.discover(List.of()).stream().filter(i -> i.version().equals(version)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Python " + version + " on this host"));
            System.out.printf("Python nodes, process backend, Python %s (%s), %d runs, medians (%d cores)%n", python.full(), python.path(), runs,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("  limits enforced: " + adapter.interpreters().at("/backends/0/limits"));

            try (Engine engine = Engine.builder().nodeTypes(function).build()) {
                StoredWorkflow chain = engine.workflows().create(chain());
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < 5 + runs; i++) {
                    long start = System.nanoTime();
                    Execution started = engine.executions().start(chain.id(), JSON.createObjectNode(), "bench");
                    Execution done = engine.executions().await(started.id(), Duration.ofMinutes(2));
                    long nanos = System.nanoTime() - start;
                    if (done.status() != ExecutionStatus.SUCCEEDED) {
                        throw new IllegalStateException("the chain did not succeed: " + done.status() + " " + done.error());
                    }
                    if (i >= 5) {
                        ms.add(nanos / 1e6);
                    }
                }
                report("(a) 40-node chain of fib(10), end to end", ms, "ms", "target < 400 ms");
            }

            List<Double> plain = new ArrayList<>();
            List<Double> plainProcess = new ArrayList<>();
            String script = FIB + "\nimport time\nt = time.perf_counter()\nfor _ in range(40):\n    fib(10)\nprint((time.perf_counter() - t) * 1000)\n";
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                String out = run(python.path(), "-I", "-c", script);
                plainProcess.add((System.nanoTime() - start) / 1e6);
                plain.add(Double.parseDouble(out.trim()));
            }
            report("(b) the same 40 calls in one plain Python process", plain, "ms", "the limit");
            report("    ... that process including its start", plainProcess, "ms", "");

            EnvironmentSpec bare = adapter.environmentsForBench().spec(version, List.of());
            warmOverhead(adapter, function, runs);
            List<Double> cold = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                run(python.path(), "-I", "-c", FIB + "\nnoop()\n");
                cold.add((System.nanoTime() - start) / 1e3);
            }
            report("(c) cold plain process per call (python -I -c)", cold, "us", "");
            List<Double> sandboxed = new ArrayList<>();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            Path worker = data.resolve("python/worker.py");
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                WorkerConnection c = WorkerConnection.open(adapter.processBackendForBench().start(new WorkerSpec(bare, Limits.DEFAULT, null, worker)),
                        JSON, timer, Duration.ofSeconds(30));
                ObjectNode call = JSON.createObjectNode().put("op", "call").put("hash", "bench").put("code", FIB).put("function", "noop");
                call.putObject("args");
                JsonNode reply = c.call(call, Duration.ofSeconds(30), () -> false);
                c.kill();
                sandboxed.add((System.nanoTime() - start) / 1e3);
                if (!reply.path("ok").asBoolean()) {
                    throw new IllegalStateException(reply.toString());
                }
            }
            timer.shutdownNow();
            report("    cold sandboxed worker per call (unshare + cgroups + rlimits)", sandboxed, "us", "");
        }
    }

    /** A node run of noop() on a warm worker, minus what noop() itself took in Python. */
    private static void warmOverhead(PythonAdapter adapter, NodeType function, int runs) throws Exception {
        ObjectNode config = JSON.createObjectNode().put("code", FIB).put("function", "noop");
        BenchContext context = new BenchContext(config);
        for (int i = 0; i < 2000; i++) {
            function.execute(context); // warm-up: worker started, module loaded, JIT compiled
        }
        List<Double> micros = new ArrayList<>();
        int calls = Math.max(2000, runs * 100);
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            function.execute(context);
            micros.add((System.nanoTime() - start) / 1e3 - context.lastPythonMicros());
        }
        report("(c) warm worker, per-call overhead (node run - function time)", micros, "us", "target < 1000 us");
    }

    private static String run(Path python, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(python.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(out);
        }
        return out;
    }

    private static void report(String what, List<Double> values, String unit, String note) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("  %-66s median %9.2f %s  (p10 %.2f, p90 %.2f)%s%n", what, sorted.get(sorted.size() / 2), unit,
                sorted.get(sorted.size() / 10), sorted.get(sorted.size() * 9 / 10), note.isEmpty() ? "" : "  " + note);
    }

    private static ObjectNode chain() {
        ObjectNode doc = JSON.createObjectNode().put("name", "python fib chain");
        ArrayNode nodes = doc.putArray("nodes");
        ArrayNode connections = doc.putArray("connections");
        for (int i = 0; i < CHAIN; i++) {
            ObjectNode node = nodes.addObject().put("id", "fib" + i).put("type", PythonFunctionNode.TYPE);
            node.putObject("config").put("code", FIB).put("function", "step");
            if (i > 0) {
                connections.addObject().put("from", "fib" + (i - 1) + ".result").put("to", "fib" + i + ".previous");
            }
        }
        return doc;
    }

    /** No saved nodes in the benchmark. */
    private static final class NoDocuments implements DocumentRepository {
        @Override
        public Optional<JsonNode> find(String collection, String key) {
            return Optional.empty();
        }

        @Override
        public List<Document> list(String collection) {
            return List.of();
        }

        @Override
        public void put(String collection, String key, JsonNode body) {
        }

        @Override
        public boolean delete(String collection, String key) {
            return false;
        }
    }
}

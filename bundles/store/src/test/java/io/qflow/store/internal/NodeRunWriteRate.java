package io.qflow.store.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures saveNodeRun per second on an H2 file (not a test: run it by hand, see the README).
 * Each execution is inserted with 3 pending node runs, then each node run is saved twice
 * (running, then succeeded) as the engine does. Argument: an optional replacement for {@code WRITE_DELAY=0} in the URL, to compare settings.
 */
public final class NodeRunWriteRate {

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("qflow-rate");
        String url = StoreSettings.h2FileUrl(data.resolve("db/qflow"));
        if (args.length > 0) {
            url = url.replace("WRITE_DELAY=0", args[0]);
        }
        System.out.println("URL " + url);
        try (var dataSource = DataSourceFactory.create(StoreSettings.of(url, null, null))) {
            SchemaMigrator.migrate(dataSource, SqlDialect.H2);
            ObjectMapper json = StoreJson.newObjectMapper();
            JdbcExecutionRepository executions = new JdbcExecutionRepository(dataSource, json);
            ObjectNode inputs = json.createObjectNode().put("x", 42).put("text", "hello world");
            ObjectNode outputs = json.createObjectNode();
            outputs.putObject("result").put("value", 84).putArray("items").add(1).add(2).add(3);
            for (int round = 0; round < 3; round++) {
                int runs = round == 0 ? 2_000 : 10_000;
                long start = System.nanoTime();
                int writes = 0;
                for (int e = 0; e < runs / 6; e++) {
                    String id = "ex-" + round + "-" + e;
                    List<NodeRun> pending = new ArrayList<>();
                    for (int n = 0; n < 3; n++) {
                        pending.add(new NodeRun("n" + n, "core.python", NodeRunStatus.PENDING, 0, null, null, null, null,
                                null, null));
                    }
                    executions.insert(new Execution(id, "wf", 1, ExecutionStatus.RUNNING, "manual", inputs, Instant.now(),
                            Instant.now(), null, null, null, pending));
                    for (int n = 0; n < 3; n++) {
                        Instant started = Instant.now();
                        executions.saveNodeRun(id, new NodeRun("n" + n, "core.python", NodeRunStatus.RUNNING, 1, started,
                                null, inputs, null, null, null));
                        executions.saveNodeRun(id, new NodeRun("n" + n, "core.python", NodeRunStatus.SUCCEEDED, 1, started,
                                Instant.now(), inputs, outputs, List.of(new LogLine(started, "info", "done")), null));
                        writes += 2;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "round %d: %d saveNodeRun (+ %d execution inserts) in %.2f s = %.0f saveNodeRun/s%n",
                        round, writes, runs / 6, seconds, writes / seconds);
            }
        }
    }
}

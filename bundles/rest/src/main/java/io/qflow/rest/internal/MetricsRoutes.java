package io.qflow.rest.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.qflow.engine.ExecutionMonitor;
import io.qflow.engine.ExecutionStatistics;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.TriggerService;
import io.qflow.engine.TriggerStatus;
import io.qflow.engine.spi.MetricsSource;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the engine's counters, trigger states, what other bundles contribute
 * ({@link MetricsSource}, e.g. Python worker pools) and JVM basics, in Prometheus text format.
 * Each source is optional: what is absent is left out, the rest is still served.
 */
final class MetricsRoutes {

    static final String PATH = "/metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsRoutes.class);

    private final Supplier<Optional<ExecutionMonitor>> monitor;
    private final Supplier<Optional<TriggerService>> triggers;
    private final Supplier<List<MetricsSource>> sources;

    MetricsRoutes(Supplier<Optional<ExecutionMonitor>> monitor, Supplier<Optional<TriggerService>> triggers,
                  Supplier<List<MetricsSource>> sources) {
        this.monitor = monitor;
        this.triggers = triggers;
        this.sources = sources;
    }

    void register(RoutesConfig routes) {
        routes.get(PATH, this::metrics);
    }

    private void metrics(Context ctx) {
        ctx.contentType(PrometheusText.CONTENT_TYPE).result(render());
    }

    String render() {
        PrometheusText text = new PrometheusText();
        monitor.get().ifPresent(m -> engine(text, m.statistics()));
        triggers.get().ifPresent(t -> triggers(text, t));
        contributed(text, sources.get());
        jvm(text);
        return text.toString();
    }

    private static void engine(PrometheusText text, ExecutionStatistics stats) {
        text.declare("qflow_executions_started_total", "counter", "Executions accepted since the engine started")
                .sample("qflow_executions_started_total", stats.started());
        text.declare("qflow_executions_finished_total", "counter", "Executions that reached a final status, by status");
        for (ExecutionStatus status : ExecutionStatus.values()) {
            if (status.isFinal()) {
                text.sample("qflow_executions_finished_total", Map.of("status", status.json()), stats.finished().getOrDefault(status, 0L));
            }
        }
        text.declare("qflow_executions_running", "gauge", "Executions running in this runtime").sample("qflow_executions_running", stats.running());
        text.declare("qflow_executions_waiting", "gauge", "Executions waiting for a decision").sample("qflow_executions_waiting", stats.waiting());
        text.declare("qflow_executions_queued", "gauge", "Executions accepted but not running yet (waiting for their node types)")
                .sample("qflow_executions_queued", stats.queued());
        String histogram = "qflow_node_run_duration_seconds";
        text.declare(histogram, "histogram", "Duration of node runs (last attempt), by node type");
        for (Map.Entry<String, ExecutionStatistics.DurationHistogram> entry : new TreeMap<>(stats.nodeDurations()).entrySet()) {
            ExecutionStatistics.DurationHistogram h = entry.getValue();
            for (int i = 0; i < h.upperBounds().size(); i++) {
                text.sample(histogram + "_bucket", Map.of("node_type", entry.getKey(), "le", PrometheusText.number(h.upperBounds().get(i))),
                        h.counts().get(i));
            }
            text.sample(histogram + "_bucket", Map.of("node_type", entry.getKey(), "le", "+Inf"), h.count());
            text.sample(histogram + "_sum", Map.of("node_type", entry.getKey()), h.sumSeconds());
            text.sample(histogram + "_count", Map.of("node_type", entry.getKey()), h.count());
        }
        text.declare("qflow_event_subscribers", "gauge", "Open live-event streams (SSE and WebSocket)")
                .sample("qflow_event_subscribers", stats.subscribers());
        text.declare("qflow_events_dropped_total", "counter", "Live events left out because a subscriber fell behind")
                .sample("qflow_events_dropped_total", stats.eventsDropped());
    }

    private static void triggers(PrometheusText text, TriggerService service) {
        List<TriggerStatus> activations;
        try {
            activations = service.activations();
        } catch (RuntimeException e) {
            LOG.warn("trigger metrics left out: {}", e.toString());
            return;
        }
        Map<String, Integer> byState = new TreeMap<>(Map.of("running", 0, "restarting", 0, "stopped", 0, "unavailable", 0));
        int active = 0;
        for (TriggerStatus status : activations) {
            if (status.active()) {
                active++;
            }
            for (TriggerStatus.Trigger trigger : status.triggers()) {
                byState.merge(trigger.state(), 1, Integer::sum);
            }
        }
        text.declare("qflow_workflows_active", "gauge", "Workflows whose triggers all run").sample("qflow_workflows_active", active);
        text.declare("qflow_triggers_active", "gauge", "Trigger nodes running now").sample("qflow_triggers_active", byState.get("running"));
        text.declare("qflow_triggers", "gauge", "Trigger nodes of activated workflows, by state");
        byState.forEach((state, count) -> text.sample("qflow_triggers", Map.of("state", state), count));
    }

    /** Other bundles' samples, grouped by name as the format requires (sources may interleave them). */
    private static void contributed(PrometheusText text, List<MetricsSource> sources) {
        List<MetricsSource.Sample> all = new java.util.ArrayList<>();
        for (MetricsSource source : sources) {
            try {
                all.addAll(source.samples());
            } catch (RuntimeException e) {
                LOG.warn("metrics of {} left out: {}", source.getClass().getName(), e.toString());
            }
        }
        all.sort(java.util.Comparator.comparing(MetricsSource.Sample::name));
        for (MetricsSource.Sample sample : all) {
            try {
                text.declare(sample.name(), "counter".equals(sample.type()) ? "counter" : "gauge", sample.help())
                        .sample(sample.name(), sample.labels(), sample.value());
            } catch (IllegalArgumentException e) {
                LOG.warn("metric sample left out: {}", e.getMessage());
            }
        }
    }

    private static void jvm(PrometheusText text) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        text.declare("jvm_memory_used_bytes", "gauge", "Memory in use, by area")
                .sample("jvm_memory_used_bytes", Map.of("area", "heap"), heap.getUsed())
                .sample("jvm_memory_used_bytes", Map.of("area", "nonheap"), nonHeap.getUsed());
        text.declare("jvm_memory_committed_bytes", "gauge", "Memory committed, by area")
                .sample("jvm_memory_committed_bytes", Map.of("area", "heap"), heap.getCommitted())
                .sample("jvm_memory_committed_bytes", Map.of("area", "nonheap"), nonHeap.getCommitted());
        text.declare("jvm_memory_max_bytes", "gauge", "Largest the heap may grow to (-1: no limit)")
                .sample("jvm_memory_max_bytes", Map.of("area", "heap"), heap.getMax());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        text.declare("jvm_threads_live", "gauge", "Live platform threads (virtual threads are not counted)")
                .sample("jvm_threads_live", threads.getThreadCount());
        text.declare("jvm_threads_daemon", "gauge", "Live daemon platform threads").sample("jvm_threads_daemon", threads.getDaemonThreadCount());
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        text.declare("jvm_gc_collections_total", "counter", "Garbage collections, by collector");
        for (GarbageCollectorMXBean gc : collectors) {
            text.sample("jvm_gc_collections_total", Map.of("gc", gc.getName()), Math.max(0, gc.getCollectionCount()));
        }
        text.declare("jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection, by collector");
        for (GarbageCollectorMXBean gc : collectors) {
            text.sample("jvm_gc_collection_seconds_total", Map.of("gc", gc.getName()), Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        text.declare("process_uptime_seconds", "gauge", "Seconds since the JVM started")
                .sample("process_uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        text.declare("process_cpu_count", "gauge", "Processors available to the JVM")
                .sample("process_cpu_count", Runtime.getRuntime().availableProcessors());
    }
}

package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sub-workflow mode of {@code core.foreach}: each item runs the configured workflow, up to
 * {@code concurrency} at once on virtual threads; results keep the items' order. The first failing
 * item cancels the items still running (their child executions are cancelled) and fails the node,
 * unless {@code continueOnItemError} is set: then a failed item's result is {@code {"error": {...}}}.
 */
final class ForEachWorkflow {

    static final int DEFAULT_CONCURRENCY = 4;
    static final int MAX_CONCURRENCY = 64;
    /** How long a cancelled for-each waits for its items to cancel their child executions. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(30);

    private record ItemFailure(int index, Throwable error) {
    }

    private ForEachWorkflow() {
    }

    static NodeResult run(NodeContext ctx, NodeConfig config, ArrayNode items) throws NodeException {
        String workflow = config.requiredString("workflow");
        int concurrency = (int) config.integer("concurrency", DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY);
        boolean continueOnItemError = config.bool("continueOnItemError", false);
        Duration timeout = SubWorkflows.timeout(config);
        JsonNode template = config.get("input");
        int count = items.size();
        JsonNode[] results = new JsonNode[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicReference<ItemFailure> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(concurrency, count); w++) {
            workers.add(Thread.ofVirtual().name("qflow-foreach-" + ctx.nodeId() + "-" + w).unstarted(() -> {
                while (failure.get() == null) {
                    int index = next.getAndIncrement();
                    if (index >= count) {
                        return;
                    }
                    try {
                        ctx.checkCancelled();
                        JsonNode item = items.get(index);
                        JsonNode input;
                        if (template.isMissingNode()) {
                            ObjectNode given = Json.NODES.objectNode();
                            given.set("item", item);
                            given.put("index", index);
                            input = given;
                        } else {
                            input = ForEachNode.render(ctx, template, Map.of("item", item, "index", IntNode.valueOf(index)));
                        }
                        results[index] = ctx.runWorkflow(workflow, input, timeout);
                    } catch (Throwable t) {
                        if (continueOnItemError && !(t instanceof CancellationException) && !(t instanceof Error)) {
                            results[index] = errorEntry(t);
                            ctx.log().warn("item " + index + " failed: " + t.getMessage());
                        } else {
                            if (failure.compareAndSet(null, new ItemFailure(index, t))) {
                                for (Thread other : workers) {
                                    if (other != Thread.currentThread()) {
                                        other.interrupt();
                                    }
                                }
                            }
                            return;
                        }
                    }
                    int done = finished.incrementAndGet();
                    if (count >= 20 && done % (count / 20) == 0) {
                        ctx.progress(done / (double) count, done + " of " + count + " items");
                    }
                }
            }));
        }
        workers.forEach(Thread::start);
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            // The node is cancelled or timed out: stop the items (which cancels their children) and wait for them.
            failure.compareAndSet(null, new ItemFailure(-1, e));
            workers.forEach(Thread::interrupt);
            joinQuietly(workers);
            Thread.currentThread().interrupt();
            throw new CancellationException("node " + ctx.nodeId() + " was cancelled; its running items were cancelled");
        }
        ItemFailure failed = failure.get();
        if (failed != null) {
            throw rethrow(failed);
        }
        ArrayNode out = Json.NODES.arrayNode(count);
        for (JsonNode result : results) {
            out.add(result);
        }
        return NodeResult.of("out", out);
    }

    private static NodeException rethrow(ItemFailure failed) {
        Throwable error = failed.error();
        if (error instanceof NodeException node) {
            return new NodeException(node.code(), "item " + failed.index() + ": " + node.getMessage(), node.retryable(), node);
        }
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        return new NodeException("workflow.failed", "item " + failed.index() + ": " + error, false, error);
    }

    private static ObjectNode errorEntry(Throwable t) {
        ObjectNode entry = Json.NODES.objectNode();
        ObjectNode error = entry.putObject("error");
        error.put("message", String.valueOf(t.getMessage()));
        error.put("code", t instanceof NodeException node ? node.code() : t.getClass().getSimpleName());
        return entry;
    }

    private static void joinQuietly(List<Thread> workers) {
        long deadline = System.nanoTime() + CANCEL_GRACE.toNanos();
        for (Thread worker : workers) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    worker.join(Duration.ofNanos(left));
                }
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package io.qflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Small node types for engine tests; each counts its invocations by node id. */
final class TestNodes {

    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    int calls(String nodeId) {
        AtomicInteger n = calls.get(nodeId);
        return n == null ? 0 : n.get();
    }

    private void count(NodeContext ctx) {
        calls.computeIfAbsent(ctx.nodeId(), k -> new AtomicInteger()).incrementAndGet();
    }

    /** test.input: emits the run input. */
    NodeType input() {
        return new Simple(NodeDescriptor.builder("test.input").output("out", DataType.ANY, "").build()) {
            @Override
            public NodeResult execute(NodeContext ctx) throws Exception {
                count(ctx);
                return NodeResult.of("out", ctx.evaluate("{{ input }}", Map.of()));
            }
        };
    }

    /** test.value: emits config.value on out (expressions resolved by the engine). */
    NodeType value() {
        return new Simple(NodeDescriptor.builder("test.value").input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "")
                .configSchema("{\"type\":\"object\",\"properties\":{\"value\":{}},\"required\":[\"value\"]}").build()) {
            @Override
            public NodeResult execute(NodeContext ctx) {
                count(ctx);
                return NodeResult.of("out", ctx.config().get("value"));
            }
        };
    }

    /** test.int: integer in, integer out (in + config.add). */
    NodeType integer() {
        return new Simple(NodeDescriptor.builder("test.int").input("in", DataType.INTEGER, "", true)
                .output("out", DataType.INTEGER, "")
                .configSchema("{\"type\":\"object\",\"properties\":{\"add\":{\"type\":\"integer\"}}}").build()) {
            @Override
            public NodeResult execute(NodeContext ctx) {
                count(ctx);
                return NodeResult.of("out", IntNode.valueOf(ctx.input("in").asInt() + ctx.config().path("add").asInt(1)));
            }
        };
    }

    /** test.text: string out. */
    NodeType text() {
        return new Simple(NodeDescriptor.builder("test.text").input("in", DataType.ANY, "", false)
                .output("out", DataType.STRING, "").build()) {
            @Override
            public NodeResult execute(NodeContext ctx) {
                count(ctx);
                return NodeResult.of("out", com.fasterxml.jackson.databind.node.TextNode.valueOf("x"));
            }
        };
    }

    /** test.if: emits in on true or false depending on config.condition. */
    NodeType branch() {
        return new Simple(NodeDescriptor.builder("test.if").input("in", DataType.ANY, "", true)
                .output("true", DataType.ANY, "").output("false", DataType.ANY, "").build()) {
            @Override
            public NodeResult execute(NodeContext ctx) {
                count(ctx);
                boolean condition = ctx.config().path("condition").asBoolean();
                return NodeResult.of(condition ? "true" : "false", ctx.input("in"));
            }
        };
    }

    /** test.fail: throws; config.retryable, config.failTimes (fail only the first N attempts). */
    NodeType fail() {
        return new Simple(NodeDescriptor.builder("test.fail").input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").build()) {
            @Override
            public NodeResult execute(NodeContext ctx) throws Exception {
                count(ctx);
                int failTimes = ctx.config().path("failTimes").asInt(Integer.MAX_VALUE);
                if (ctx.attempt() <= failTimes) {
                    throw new NodeException("test.boom", "boom on attempt " + ctx.attempt(), ctx.config().path("retryable").asBoolean(), null);
                }
                return NodeResult.of("out", BooleanNode.TRUE);
            }
        };
    }

    /** test.block: waits on a latch until released or interrupted. */
    NodeType block(CountDownLatch started, CountDownLatch release) {
        return new Simple(NodeDescriptor.builder("test.block").input("in", DataType.ANY, "", false)
                .output("out", DataType.ANY, "").build()) {
            @Override
            public NodeResult execute(NodeContext ctx) throws Exception {
                count(ctx);
                started.countDown();
                release.await();
                return NodeResult.of("out", BooleanNode.TRUE);
            }
        };
    }

    private abstract static class Simple implements NodeType {
        private final NodeDescriptor descriptor;

        Simple(NodeDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        public NodeDescriptor descriptor() {
            return descriptor;
        }
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

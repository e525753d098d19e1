package io.qflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeResult;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.WaitRequest;
import java.util.List;

/** Small core-like node types for the store benchmarks: cheap on purpose, so engine and store costs dominate. */
final class BenchNodes {

    private BenchNodes() {
    }

    static List<NodeType> all() {
        return List.of(new Input(), new Step(), new Join(), new Approval());
    }

    /** bench.input: emits the execution input, like core.input. */
    static final class Input implements NodeType {
        private static final NodeDescriptor D = NodeDescriptor.builder("bench.input").output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return D;
        }

        @Override
        public NodeResult execute(NodeContext ctx) throws Exception {
            return NodeResult.of("out", ctx.evaluate("{{ input }}", java.util.Map.of()));
        }
    }

    /** bench.step: copies its input object and sets one field, like a core.set with one value. */
    static final class Step implements NodeType {
        private static final NodeDescriptor D = NodeDescriptor.builder("bench.step").input("in", DataType.ANY, "", true)
                .output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return D;
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            JsonNode in = ctx.input("in");
            ObjectNode out = in.isObject() ? ((ObjectNode) in).deepCopy() : JsonNodeFactory.instance.objectNode();
            out.put(ctx.nodeId(), out.path("n").asInt() + 1);
            return NodeResult.of("out", out);
        }
    }

    /** bench.join: waits for both branches (ports a and b) and emits both, like a core.merge in mode wait-for-all. */
    static final class Join implements NodeType {
        private static final NodeDescriptor D = NodeDescriptor.builder("bench.join").input("a", DataType.ANY, "", true)
                .input("b", DataType.ANY, "", true).output("out", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return D;
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.set("a", ctx.input("a"));
            out.set("b", ctx.input("b"));
            return NodeResult.of("out", out);
        }
    }

    /** bench.approval: waits for approve/reject like core.approval; with a decision, emits on that port. */
    static final class Approval implements NodeType {
        private static final NodeDescriptor D = NodeDescriptor.builder("bench.approval").input("in", DataType.ANY, "", false)
                .output("approve", DataType.ANY, "").output("reject", DataType.ANY, "").build();

        @Override
        public NodeDescriptor descriptor() {
            return D;
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            if (ctx.decision().isEmpty()) {
                ObjectNode request = JsonNodeFactory.instance.objectNode();
                request.put("title", "Approve order " + ctx.input("in").path("order").asText() + "?");
                request.put("assignee", "ops@example.com");
                return NodeResult.waiting(new WaitRequest(request, List.of("approve", "reject"), null, null));
            }
            return NodeResult.of(ctx.decision().get().decision(), ctx.input("in"));
        }
    }
}

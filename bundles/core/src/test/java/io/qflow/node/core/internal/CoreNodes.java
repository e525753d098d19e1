package io.qflow.node.core.internal;

import io.qflow.sdk.NodeType;
import java.nio.file.Path;
import java.util.List;

/** Every node of the bundle, constructed as plain objects; file nodes confined to {@code fileRoot}. */
final class CoreNodes {

    private CoreNodes() {
    }

    static List<NodeType> all(Path fileRoot) {
        FileSandbox sandbox = new FileSandbox(fileRoot);
        return List.of(new InputNode(), new SetNode(), new IfNode(), new SwitchNode(), new MergeNode(),
                new FilterNode(), new SortNode(), new LimitNode(), new AggregateNode(), new ForEachNode(),
                new DelayNode(), new HttpRequestNode(), new JsonParseNode(), new JsonStringifyNode(),
                new CsvReadNode(), new CsvWriteNode(), new FileReadNode(sandbox), new FileWriteNode(sandbox),
                new LogNode(), new NoopNode(), new ApprovalNode(), new FormNode(), new WorkflowNode(), new WhileNode());
    }
}

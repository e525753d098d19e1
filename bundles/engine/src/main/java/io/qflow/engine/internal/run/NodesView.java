package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.internal.expression.JexlExpressions;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code nodes} variable of expressions: {@code nodes.<id>.<port>} reads the outputs of nodes
 * that have finished, converted only when an expression touches them. One view serves every node of
 * an execution, so a 1,000-node workflow does not rebuild a 1,000-entry object per node.
 */
final class NodesView extends AbstractMap<String, Object> {

    private final Map<String, NodeState> states;

    NodesView(Map<String, NodeState> states) {
        this.states = states;
    }

    @Override
    public Object get(Object key) {
        NodeState state = states.get(key);
        ObjectNode outputs = state == null ? null : state.outputs;
        return outputs == null ? null : JexlExpressions.view(state.values == null ? outputs : state.values.resolved(outputs));
    }

    @Override
    public boolean containsKey(Object key) {
        NodeState state = states.get(key);
        return state != null && state.outputs != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        List<Entry<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<String, NodeState> e : states.entrySet()) {
            ObjectNode outputs = e.getValue().outputs;
            if (outputs != null) {
                NodeState state = e.getValue();
                entries.add(new SimpleImmutableEntry<>(e.getKey(),
                        JexlExpressions.view(state.values == null ? outputs : state.values.resolved(outputs))));
            }
        }
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return entries.iterator();
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }
}

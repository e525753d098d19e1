package io.qflow.engine.internal.catalog;

import io.qflow.engine.NodeCatalog;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live catalogue. Node and trigger types are added and removed as their services come and go;
 * when two providers register the same type id (an update in progress), the most recent one wins
 * and the older one takes over again if the newer leaves.
 */
public class NodeTypeRegistry implements NodeCatalog {

    private static final Logger LOG = Logger.getLogger(NodeTypeRegistry.class.getName());

    /**
     * One registered provider of a type. {@code service} is a NodeType or a TriggerType;
     * {@code node} is what runs it inside an execution (for a trigger, a {@link TriggerNode}).
     */
    private record Entry(Object service, NodeDescriptor descriptor, String provider, NodeType node) {
    }

    private final Map<String, Deque<Entry>> entries = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public void addNodeType(NodeType type, String provider) {
        add(type, type.descriptor(), provider, type);
    }

    public void removeNodeType(NodeType type) {
        remove(type);
    }

    public void addTriggerType(TriggerType type, String provider) {
        NodeDescriptor descriptor = type.descriptor();
        add(type, descriptor, provider, new TriggerNode(descriptor));
    }

    public void removeTriggerType(TriggerType type) {
        remove(type);
    }

    private void add(Object service, NodeDescriptor descriptor, String provider, NodeType node) {
        String type = descriptor.type();
        entries.computeIfAbsent(type, k -> new ConcurrentLinkedDeque<>()).addFirst(new Entry(service, descriptor, provider, node));
        fire(type);
    }

    private void remove(Object service) {
        for (Map.Entry<String, Deque<Entry>> e : entries.entrySet()) {
            if (e.getValue().removeIf(entry -> entry.service() == service)) {
                entries.computeIfPresent(e.getKey(), (k, v) -> v.isEmpty() ? null : v);
                fire(e.getKey());
                return;
            }
        }
    }

    private Optional<Entry> current(String type) {
        Deque<Entry> deque = entries.get(type);
        return deque == null ? Optional.empty() : Optional.ofNullable(deque.peekFirst());
    }

    @Override
    public List<NodeDescriptor> descriptors() {
        List<NodeDescriptor> all = new ArrayList<>();
        for (Deque<Entry> deque : entries.values()) {
            Entry first = deque.peekFirst();
            if (first != null) {
                all.add(first.descriptor());
            }
        }
        all.sort(Comparator.comparing(NodeDescriptor::category).thenComparing(NodeDescriptor::type));
        return all;
    }

    @Override
    public Optional<NodeDescriptor> descriptor(String type) {
        return current(type).map(Entry::descriptor);
    }

    @Override
    public Optional<NodeType> nodeType(String type) {
        return current(type).map(Entry::node);
    }

    @Override
    public Optional<TriggerType> triggerType(String type) {
        return current(type).map(Entry::service).filter(TriggerType.class::isInstance).map(TriggerType.class::cast);
    }

    @Override
    public Optional<String> provider(String type) {
        return current(type).map(Entry::provider);
    }

    @Override
    public AutoCloseable onChange(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fire(String type) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(type);
            } catch (RuntimeException e) {
                // A broken listener must not stop the others or the plugin that triggered the change.
                LOG.log(Level.WARNING, "catalogue listener failed for " + type, e);
            }
        }
    }
}

package io.qflow.engine;

import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerType;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The live catalogue of node and trigger types: follows plugins as they are deployed, updated and
 * removed. Thread-safe.
 */
@ProviderType
public interface NodeCatalog {

    /** Every node and trigger descriptor, sorted by category then type. */
    List<NodeDescriptor> descriptors();

    Optional<NodeDescriptor> descriptor(String type);

    /**
     * What runs a node of this type inside an execution: the registered node type, or for a trigger
     * type a node that emits what the trigger fired with (the run's input, by output port).
     */
    Optional<NodeType> nodeType(String type);

    Optional<TriggerType> triggerType(String type);

    /**
     * Where a type comes from: the symbolic name and version of the bundle that provides it, or
     * {@code "builtin"} outside OSGi.
     */
    Optional<String> provider(String type);

    /**
     * Calls {@code listener} with the type id whenever a type is added, replaced or removed.
     * Returns a handle that unregisters it.
     */
    AutoCloseable onChange(Consumer<String> listener);
}

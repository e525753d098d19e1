package io.qflow.engine.internal.osgi;

import io.qflow.engine.NodeCatalog;
import io.qflow.engine.internal.catalog.NodeTypeRegistry;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerType;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The catalogue as an OSGi service: follows every {@link NodeType} and {@link TriggerType} service,
 * whichever bundle registers it, as plugins come, change and go.
 */
@Component(service = NodeCatalog.class, immediate = true)
public final class NodeCatalogComponent extends NodeTypeRegistry {

    private static final Logger LOG = Logger.getLogger(NodeCatalogComponent.class.getName());

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindNodeType(NodeType type, ServiceReference<NodeType> reference) {
        try {
            addNodeType(type, provider(reference));
        } catch (RuntimeException e) {
            // A plugin whose descriptor() throws is listed on the plugins page, not in the catalogue.
            LOG.log(Level.WARNING, "ignoring node type from " + provider(reference) + ": its descriptor failed", e);
        }
    }

    void unbindNodeType(NodeType type) {
        removeNodeType(type);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTriggerType(TriggerType type, ServiceReference<TriggerType> reference) {
        try {
            addTriggerType(type, provider(reference));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring trigger type from " + provider(reference) + ": its descriptor failed", e);
        }
    }

    void unbindTriggerType(TriggerType type) {
        removeTriggerType(type);
    }

    /** "symbolic.name/version", which the plugin inventory matches bundles against. */
    static String provider(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        return bundle == null ? "unknown" : bundle.getSymbolicName() + "/" + bundle.getVersion();
    }
}

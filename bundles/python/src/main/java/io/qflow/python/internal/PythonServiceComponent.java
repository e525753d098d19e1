package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.EventSubscription;
import io.qflow.engine.ExecutionEvent;
import io.qflow.engine.ExecutionMonitor;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import io.qflow.engine.spi.DocumentRepository;
import io.qflow.python.PythonException;
import io.qflow.python.PythonService;
import io.qflow.python.spi.PythonBackend;
import io.qflow.sdk.NodeType;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The adapter in OSGi: settings from framework properties, saved nodes in the store's
 * {@link DocumentRepository}, node types ({@code python.function}, {@code python.user.*}) published
 * as {@link NodeType} services, and any {@link PythonBackend} services (docker) picked up as they
 * come and go.
 */
@Component(service = PythonService.class, immediate = true)
public final class PythonServiceComponent implements PythonService {

    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    private final PythonAdapter adapter;
    private final AtomicReference<EventSubscription> executionEvents = new AtomicReference<>();
    private volatile boolean active = true;

    @Activate
    public PythonServiceComponent(BundleContext context, @Reference DocumentRepository documents) {
        PythonSettings settings = PythonSettings.from(context::getProperty);
        NodeTypeRegistrar registrar = type -> {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("qflow.node.type", type.descriptor().type());
            ServiceRegistration<NodeType> reg = context.registerService(NodeType.class, type, props);
            return () -> {
                try {
                    reg.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            };
        };
        this.adapter = new PythonAdapter(settings, new ObjectMapper(), documents, registrar);
        adapter.start();
        Thread.ofVirtual().name("python-warm-up").start(() -> {
            if (active) {
                adapter.warmUp();
            }
        });
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(PythonBackend backend) {
        // SCR may bind before the constructor finished publishing: the adapter exists by then
        // because bind methods of dynamic references are called after construction.
        adapter.addBackend(backend);
    }

    void removeBackend(PythonBackend backend) {
        adapter.removeBackend(backend);
    }

    /**
     * The engine's live events, when there (optional): an execution that ends releases its
     * execution-bound workers at once (the docker backend's container per execution), instead of
     * after 30 s without a call.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindMonitor")
    void bindMonitor(ExecutionMonitor monitor) {
        // Only execution status events: asking for all types would make the engine build every
        // node event for this subscriber, and its buffer could drop the end events it is here for.
        EventSubscription subscription = monitor.subscribeAll(null, 4096, java.util.Set.of(ExecutionEvent.Type.EXECUTION_STATUS));
        EventSubscription previous = executionEvents.getAndSet(subscription);
        if (previous != null) {
            previous.close();
        }
        Thread.ofVirtual().name("python-execution-ends").start(() -> followExecutionEnds(subscription));
    }

    void unbindMonitor(ExecutionMonitor monitor) {
        EventSubscription s = executionEvents.getAndSet(null);
        if (s != null) {
            s.close();
        }
    }

    private void followExecutionEnds(EventSubscription events) {
        try {
            // An untimed wait: this thread wakes at the end of every execution, and a timed wait
            // would arm and cancel a timer each time. Closing the subscription ends the loop.
            ExecutionEvent e;
            while (active && (e = events.next()) != null) {
                if (e.type() == ExecutionEvent.Type.EXECUTION_STATUS && FINAL.contains(e.status())) {
                    adapter.executionFinished(e.executionId());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        unbindMonitor(null);
        adapter.close();
    }

    @Override
    public JsonNode analyze(JsonNode request) throws PythonException {
        return adapter.analyze(request);
    }

    @Override
    public JsonNode test(JsonNode request) throws PythonException {
        return adapter.test(request);
    }

    @Override
    public JsonNode saveNode(JsonNode request) throws PythonException {
        return adapter.saveNode(request);
    }

    @Override
    public List<JsonNode> nodes() {
        return adapter.nodes();
    }

    @Override
    public Optional<JsonNode> node(String name) {
        return adapter.node(name);
    }

    @Override
    public boolean deleteNode(String name) {
        return adapter.deleteNode(name);
    }

    @Override
    public JsonNode interpreters() {
        return adapter.interpreters();
    }

    @Override
    public JsonNode environments() {
        return adapter.environments();
    }

    @Override
    public JsonNode prepareEnvironment(JsonNode request, Consumer<String> progress) throws PythonException {
        return adapter.prepareEnvironment(request, progress);
    }

    @Override
    public Map<String, Integer> workerPools() {
        return adapter.workerPools();
    }
}

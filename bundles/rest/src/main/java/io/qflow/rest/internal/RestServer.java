package io.qflow.rest.internal;

import io.javalin.Javalin;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.PluginInventory;
import io.qflow.engine.WorkflowService;
import io.qflow.rest.spi.WebAssets;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link RestApi} while the engine's services are there. Settings are framework properties
 * ({@code qflow.host}, {@code qflow.port}, {@code qflow.http.maxBodyBytes}, {@code qflow.api.tokens}, ...).
 * Activation fails when the host is not loopback and no API tokens are set ({@link RestSettings}).
 */
@Component(immediate = true, service = {})
public final class RestServer {

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private final Javalin javalin;

    /**
     * The web editor's files (io.qflow.editor), followed dynamically: the editor bundle may come,
     * go or be updated while the server runs, and the server must not restart for it. Absent, {@code /}
     * shows the placeholder page.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WebAssets webAssets;

    /** Workflow activation (io.qflow.engine, once a document store is there): optional, 503 while absent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.qflow.engine.TriggerService triggers;

    /** Credentials (io.qflow.engine, once a document store is there): optional, 503 while absent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.qflow.engine.CredentialService credentials;

    /** The webhook paths triggers claim (a component of this bundle); followed like the others so the server never restarts for it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WebhookRegistry webhooks;

    /** Live execution events and the engine's counters (io.qflow.engine): optional, the streams answer 503 while absent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.qflow.engine.ExecutionMonitor monitor;

    /** Whatever other bundles add to GET /metrics (the Python adapter's worker pools); any number, coming and going. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile java.util.List<io.qflow.engine.spi.MetricsSource> metricSources;

    /** The Python adapter (io.qflow.python), through a holder that names its types; optional, /api/v1/python answers 503 while absent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PythonServiceHolder python;

    @Activate
    public RestServer(@Reference WorkflowService workflows, @Reference ExecutionService executions,
                      @Reference NodeCatalog catalog, @Reference PluginInventory plugins, BundleContext context) {
        RestSettings settings;
        try {
            settings = RestSettings.from(context::getProperty, context.getBundle().getVersion().toString());
        } catch (IllegalArgumentException e) {
            // Named here as well as by SCR, so that the reason is in the Qflow log whatever SCR logs to.
            LOG.error("The REST API does not start: {}", e.getMessage());
            throw e;
        }
        RestApi api = new RestApi(workflows, executions, catalog, plugins, settings);
        api.serveWebAssets(() -> Optional.ofNullable(webAssets));
        api.serveTriggers(() -> Optional.ofNullable(triggers));
        api.serveWebhooks(() -> Optional.ofNullable(webhooks));
        api.serveCredentials(() -> Optional.ofNullable(credentials));
        api.serveEvents(() -> Optional.ofNullable(monitor));
        api.servePython(() -> {
            PythonServiceHolder holder = python;
            return holder == null ? Optional.empty() : holder.current();
        });
        api.serveMetricSources(() -> metricSources == null ? java.util.List.of() : metricSources);
        if (settings.apiTokens().isEmpty()) {
            LOG.info("The REST API needs no token: {} is loopback and {} is not set", settings.host(), RestSettings.API_TOKENS);
        } else {
            LOG.info("The REST API needs a bearer token ({} configured)", settings.apiTokens().size());
        }
        this.javalin = withBundleContextLoader(api::start);
        LOG.info("Qflow REST API listening on http://{}:{}{}", settings.host(), javalin.port(), RestApi.BASE);
    }

    @Deactivate
    void deactivate() {
        withBundleContextLoader(javalin::stop);
    }

    /**
     * Jetty and Javalin find parts of themselves through ServiceLoader and the context class
     * loader: while they start or stop, point it at this bundle, whose class path holds the embedded jars.
     */
    private static <T> T withBundleContextLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(StartupClassLoader.forBundleOf(RestServer.class));
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}

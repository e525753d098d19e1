package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.PluginInventory;
import io.qflow.engine.TriggerService;
import io.qflow.engine.WorkflowService;
import io.qflow.rest.spi.WebAssets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code /api/v1} HTTP API on Javalin, built from the engine's services and nothing else, so
 * that tests run it against an in-memory engine without OSGi. {@link RestServer} is its OSGi face.
 */
public final class RestApi {

    public static final String BASE = "/api/v1";

    private final RestSettings settings;
    private final ObjectMapper mapper;
    private final ProblemResponses problems;
    private final SystemRoutes system;
    private final NodeTypeRoutes nodeTypes;
    private final WorkflowRoutes workflows;
    private final ExecutionRoutes executions;
    private final PluginRoutes plugins;
    /** Where the editor's files come from; none until {@link #serveWebAssets} names a source. */
    private volatile Supplier<Optional<WebAssets>> webAssetsSource = Optional::empty;
    private final WebAssetHandler webAssets = new WebAssetHandler(() -> webAssetsSource.get());
    /** Workflow activation and webhook paths: optional services, asked on every request (503 / 404 while absent). */
    private volatile Supplier<Optional<TriggerService>> triggerSource = Optional::empty;
    private volatile Supplier<Optional<WebhookRegistry>> webhookSource = Optional::empty;
    /** Credentials: optional (needs a document store), asked on every request; 503 while absent. */
    private volatile Supplier<Optional<io.qflow.engine.CredentialService>> credentialSource = Optional::empty;
    /** Live events and the engine's counters: optional, the stream routes answer 503 while absent. */
    private volatile Supplier<Optional<io.qflow.engine.ExecutionMonitor>> monitorSource = Optional::empty;
    /** The Python adapter's service (typed Object: the adapter is optional), asked on every request; 503 while absent. */
    private volatile Supplier<Optional<Object>> pythonSource = Optional::empty;
    /** Extra samples for GET /metrics (Python worker pools, ...): whatever is registered at each scrape. */
    private volatile Supplier<java.util.List<io.qflow.engine.spi.MetricsSource>> metricSources = java.util.List::of;

    public RestApi(WorkflowService workflowService, ExecutionService executionService, NodeCatalog catalog,
                   PluginInventory pluginInventory, RestSettings settings) {
        Objects.requireNonNull(workflowService, "workflowService");
        Objects.requireNonNull(executionService, "executionService");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(pluginInventory, "pluginInventory");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mapper = RestJson.newMapper();
        JsonHttp json = new JsonHttp(mapper, settings.maxBodyBytes());
        this.problems = new ProblemResponses(mapper);
        this.system = new SystemRoutes(catalog, json, settings, webAssets);
        this.nodeTypes = new NodeTypeRoutes(catalog, json);
        this.workflows = new WorkflowRoutes(workflowService, json);
        this.executions = new ExecutionRoutes(executionService, json);
        this.plugins = new PluginRoutes(pluginInventory, json, settings.maxUploadBytes());
    }

    /**
     * Serves the files of {@code source}'s current {@link WebAssets} at {@code /} (the editor), asked
     * on every request so that the service may come and go while the server runs. Call before {@link #create()}.
     */
    public RestApi serveWebAssets(Supplier<Optional<WebAssets>> source) {
        this.webAssetsSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Serves activation routes with {@code source}'s current trigger service. Call before {@link #create()}. */
    public RestApi serveTriggers(Supplier<Optional<TriggerService>> source) {
        this.triggerSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Serves the credential routes with {@code source}'s current credential service. Call before {@link #create()}. */
    public RestApi serveCredentials(Supplier<Optional<io.qflow.engine.CredentialService>> source) {
        this.credentialSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Serves {@code /webhook/*} and {@code /webhook-test/*} from {@code source}'s registry. Call before {@link #create()}. */
    public RestApi serveWebhooks(Supplier<Optional<WebhookRegistry>> source) {
        this.webhookSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Serves the live event streams and the engine's metrics from {@code source}'s current monitor. Call before {@link #create()}. */
    public RestApi serveEvents(Supplier<Optional<io.qflow.engine.ExecutionMonitor>> source) {
        this.monitorSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Adds {@code sources}' samples to {@code GET /metrics}, asked at each scrape. Call before {@link #create()}. */
    public RestApi serveMetricSources(Supplier<java.util.List<io.qflow.engine.spi.MetricsSource>> sources) {
        this.metricSources = Objects.requireNonNull(sources, "sources");
        return this;
    }

    /** Serves {@code /api/v1/python/...} with {@code source}'s current {@code PythonService}. Call before {@link #create()}. */
    public RestApi servePython(Supplier<Optional<Object>> source) {
        this.pythonSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /** A Javalin instance with every route, not yet started. */
    public Javalin create() {
        return Javalin.create(this::configure);
    }

    /** Creates and starts the server on the configured host and port ({@link Javalin#port()} tells which). */
    public Javalin start() {
        return create().start(settings.host(), settings.port());
    }

    void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        // Handlers block (run-and-wait, repositories): virtual threads keep that cheap.
        config.concurrency.useVirtualThreads = true;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = Math.max(settings.maxBodyBytes(), settings.maxUploadBytes());
        config.http.defaultContentType = JsonHttp.JSON;
        config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
        config.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes(), SizeUnit.BYTES);
        config.jsonMapper(new JavalinJackson(mapper, false));
        // After every route: the editor's files (and its SPA fallback) for GETs no route answers.
        config.resourceHandler(webAssets);

        problems.register(config.routes);
        if (!settings.apiTokens().isEmpty()) {
            config.routes.before(BASE + "/*", new TokenAuthentication(settings.apiTokens()));
            config.routes.before(MetricsRoutes.PATH, new TokenAuthentication(settings.apiTokens()));
            config.routes.wsBeforeUpgrade(BASE + "/*", new TokenAuthentication(settings.apiTokens()));
        }
        system.register(config.routes);
        nodeTypes.register(config.routes);
        workflows.register(config.routes);
        executions.register(config.routes);
        plugins.register(config.routes);
        new PythonRoutes(() -> pythonSource.get(), new JsonHttp(mapper, settings.maxBodyBytes()), settings.maxUploadBytes())
                .register(config.routes);
        new TriggerRoutes(() -> triggerSource.get(), new JsonHttp(mapper, settings.maxBodyBytes())).register(config.routes);
        new CredentialRoutes(() -> credentialSource.get(), new JsonHttp(mapper, settings.maxBodyBytes())).register(config.routes);
        new WebhookRoutes(() -> webhookSource.get()).register(config.routes);
        new EventStreamRoutes(() -> monitorSource.get(), new EventJson(mapper)).register(config.routes);
        new MetricsRoutes(() -> monitorSource.get(), () -> triggerSource.get(), () -> metricSources.get()).register(config.routes);
    }
}

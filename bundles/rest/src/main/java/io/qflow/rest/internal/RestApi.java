package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.PluginInventory;
import io.qflow.engine.WorkflowService;
import java.util.Objects;

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
        this.system = new SystemRoutes(catalog, json, settings);
        this.nodeTypes = new NodeTypeRoutes(catalog, json);
        this.workflows = new WorkflowRoutes(workflowService, json);
        this.executions = new ExecutionRoutes(executionService, json);
        this.plugins = new PluginRoutes(pluginInventory, json, settings.maxUploadBytes());
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

        problems.register(config.routes);
        if (!settings.apiTokens().isEmpty()) {
            config.routes.before(BASE + "/*", new TokenAuthentication(settings.apiTokens()));
        }
        system.register(config.routes);
        nodeTypes.register(config.routes);
        workflows.register(config.routes);
        executions.register(config.routes);
        plugins.register(config.routes);
    }
}

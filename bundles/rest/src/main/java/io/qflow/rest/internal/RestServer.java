package io.qflow.rest.internal;

import io.javalin.Javalin;
import io.qflow.engine.ExecutionService;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.PluginInventory;
import io.qflow.engine.WorkflowService;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
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

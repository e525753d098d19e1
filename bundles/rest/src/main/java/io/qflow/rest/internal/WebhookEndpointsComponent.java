package io.qflow.rest.internal;

import io.qflow.sdk.trigger.WebhookEndpoints;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The webhook path registry as an OSGi service: triggers claim paths through the SDK's
 * {@link WebhookEndpoints}; {@link RestServer} serves them. A component of its own so that the
 * claims outlive a restart of the HTTP server and the server never waits for a trigger.
 */
@Component(service = {WebhookEndpoints.class, WebhookRegistry.class})
public final class WebhookEndpointsComponent extends WebhookRegistry {

    /** Largest webhook body in bytes; defaults to the API's body limit. */
    static final String MAX_BODY_SETTING = "qflow.webhook.maxBodyBytes";

    @Activate
    public WebhookEndpointsComponent(BundleContext context) {
        super(limit(context));
    }

    private static long limit(BundleContext context) {
        String value = context.getProperty(MAX_BODY_SETTING);
        if (value == null || value.isBlank()) {
            value = context.getProperty(RestSettings.MAX_BODY_BYTES);
        }
        if (value == null || value.isBlank()) {
            return 10L * 1024 * 1024;
        }
        try {
            long bytes = Long.parseLong(value.trim());
            if (bytes <= 0) {
                throw new NumberFormatException();
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_BODY_SETTING + " must be a positive whole number of bytes: " + value);
        }
    }
}

package io.qflow.engine.internal.osgi;

import io.qflow.engine.CredentialService;
import io.qflow.engine.internal.credentials.Credentials;
import io.qflow.engine.internal.credentials.SecretKeySource;
import io.qflow.engine.spi.DocumentRepository;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Credentials encrypted in the document store, once there is one. Registered as the public
 * {@link CredentialService} (list, put, delete: never values) and, for this bundle's engine and
 * trigger components only, as {@link Credentials}, which decrypts (that class is not exported, so no
 * other bundle can use the registration). The key is set by {@code qflow.secretKey} or kept in
 * {@code <qflow.data>/secret.key}, made on first use; a malformed {@code qflow.secretKey} stops this
 * component with a message naming the setting.
 */
@Component(immediate = true)
public final class CredentialsComponent {

    private final ServiceRegistration<?> registration;

    @Activate
    public CredentialsComponent(BundleContext context, @Reference DocumentRepository documents) {
        String data = context.getProperty("qflow.data");
        SecretKeySource keys = SecretKeySource.from(context::getProperty, Path.of(data == null || data.isBlank() ? "data" : data));
        Credentials credentials = new Credentials(documents, keys);
        this.registration = context.registerService(new String[] {CredentialService.class.getName(), Credentials.class.getName()},
                credentials, null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}

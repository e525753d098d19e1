package io.qflow.engine.internal.osgi;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.hooks.bundle.FindHook;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Hides the platform's own bundles from the hot-deploy watcher (Felix FileInstall). FileInstall
 * "updates" an installed bundle whose symbolic name and version match a dropped JAR, so a plugin
 * JAR that happened to carry the name of, say, the SDK would replace the platform's SDK, and
 * deleting it would uninstall it. With the platform bundles out of its sight, such a JAR is
 * refused by the framework as a duplicate and the platform stays intact.
 */
@Component(service = FindHook.class, immediate = true)
public final class PlatformBundleGuard implements FindHook {

    static final String FILE_INSTALL = "org.apache.felix.fileinstall";
    private final Path pluginsDir;

    @Activate
    public PlatformBundleGuard(BundleContext context) {
        this(PluginInventoryComponent.pluginsDir(context));
    }

    PlatformBundleGuard(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
    }

    @Override
    public void find(BundleContext context, Collection<Bundle> bundles) {
        Bundle asking = context.getBundle();
        if (asking == null || !FILE_INSTALL.equals(asking.getSymbolicName())) {
            return;
        }
        bundles.removeIf(bundle -> bundle.getBundleId() != 0 && !isPlugin(bundle.getLocation()));
    }

    boolean isPlugin(String location) {
        if (location == null || !location.startsWith("file:")) {
            return false;
        }
        try {
            return Path.of(URI.create(location)).toAbsolutePath().normalize().startsWith(pluginsDir);
        } catch (RuntimeException e) {
            return false;
        }
    }
}

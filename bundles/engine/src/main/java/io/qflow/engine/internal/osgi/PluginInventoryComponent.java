package io.qflow.engine.internal.osgi;

import io.qflow.engine.ConflictException;
import io.qflow.engine.NodeCatalog;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.PluginInfo;
import io.qflow.engine.PluginInventory;
import io.qflow.sdk.NodeDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Lists bundles with their state and, for plugins that do not work, the reason: the resolver's
 * message for a bundle that does not resolve or start, the failure of a Declarative Services
 * component that did not activate. Uploads and removals go through the plugins folder, so hot
 * deploy has one path whether a JAR is copied by hand or sent over REST.
 */
@Component(service = PluginInventory.class, immediate = true)
public final class PluginInventoryComponent implements PluginInventory {

    private static final Pattern JAR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.jar");
    private final BundleContext context;
    private final NodeCatalog catalog;
    private final ServiceComponentRuntime scr;
    private final Path pluginsDir;
    private final PlatformBundleGuard guard;
    /** Start failures by bundle id and last-modified time, so a broken plugin is probed once per version. */
    private final Map<String, String> startFailures = new ConcurrentHashMap<>();

    @Activate
    public PluginInventoryComponent(BundleContext context, @Reference NodeCatalog catalog, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.catalog = catalog;
        this.scr = scr;
        this.pluginsDir = pluginsDir(context);
        this.guard = new PlatformBundleGuard(pluginsDir);
    }

    /** The hot-deploy folder: {@code qflow.plugins}, else FileInstall's own setting. */
    static Path pluginsDir(BundleContext context) {
        String dir = context.getProperty("qflow.plugins");
        if (dir == null) {
            dir = context.getProperty("felix.fileinstall.dir");
        }
        return Path.of(dir == null ? "plugins" : dir).toAbsolutePath().normalize();
    }

    @Override
    public List<PluginInfo> plugins() {
        List<PluginInfo> all = new ArrayList<>();
        java.util.Set<Path> installedFiles = new java.util.HashSet<>();
        // One snapshot for the whole listing: FileInstall may install a dropped JAR meanwhile, and a
        // second look would find the JAR's own bundle and call the JAR refused in favour of itself.
        Bundle[] bundles = context.getBundles();
        for (Bundle bundle : bundles) {
            all.add(describe(bundle));
            fileOf(bundle.getLocation()).ifPresent(installedFiles::add);
        }
        all.addAll(notInstalled(installedFiles, bundles));
        all.sort(Comparator.comparing((PluginInfo p) -> !p.plugin()).thenComparing(PluginInfo::symbolicName,
                Comparator.nullsLast(Comparator.naturalOrder())));
        return all;
    }

    /**
     * JARs in the plugins folder that are not installed bundles: not picked up yet, or refused by
     * the framework — most often because a bundle of the same name and version is already part of
     * the platform (see {@link PlatformBundleGuard}). Listed with id -1 so the plugins page shows
     * why a dropped JAR did nothing.
     */
    private List<PluginInfo> notInstalled(java.util.Set<Path> installedFiles, Bundle[] bundles) {
        List<PluginInfo> found = new ArrayList<>();
        if (!Files.isDirectory(pluginsDir)) {
            return found;
        }
        try (var files = Files.list(pluginsDir)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).toList()) {
                if (installedFiles.contains(jar.toAbsolutePath().normalize())) {
                    continue;
                }
                found.add(describeFile(jar, bundles));
            }
        } catch (IOException e) {
            found.add(new PluginInfo(-1, null, null, null, "not installed", pluginsDir.toUri().toString(), true, List.of(),
                    "cannot list the plugins folder: " + e.getMessage()));
        }
        return found;
    }

    private PluginInfo describeFile(Path jar, Bundle[] bundles) {
        String location = jar.toUri().toString();
        String name;
        String version;
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            version = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        } catch (IOException e) {
            return new PluginInfo(-1, null, null, null, "not installed", location, true, List.of(),
                    "not a readable JAR: " + e.getMessage());
        }
        if (name == null) {
            return new PluginInfo(-1, null, null, null, "not installed", location, true, List.of(),
                    "not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        }
        String symbolicName = name.split(";")[0].trim();
        for (Bundle bundle : bundles) {
            if (symbolicName.equals(bundle.getSymbolicName()) && version != null
                    && org.osgi.framework.Version.parseVersion(version).equals(bundle.getVersion())) {
                return new PluginInfo(-1, symbolicName, version, null, "not installed", location, true, List.of(),
                        "refused: bundle " + symbolicName + " " + version + " is already installed from "
                                + bundle.getLocation() + "; give the plugin another name or version");
            }
        }
        // Most likely just dropped and about to be installed: not an error (yet).
        return new PluginInfo(-1, symbolicName, version, null, "not installed", location, true, List.of(), null);
    }

    private static Optional<Path> fileOf(String location) {
        if (location == null) {
            return Optional.empty();
        }
        String uri = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (!uri.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(java.net.URI.create(uri)).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<PluginInfo> plugin(long id) {
        Bundle bundle = context.getBundle(id);
        return bundle == null ? Optional.empty() : Optional.of(describe(bundle));
    }

    private PluginInfo describe(Bundle bundle) {
        String provider = bundle.getSymbolicName() + "/" + bundle.getVersion();
        List<String> types = new ArrayList<>();
        for (NodeDescriptor d : catalog.descriptors()) {
            if (catalog.provider(d.type()).filter(provider::equals).isPresent()) {
                types.add(d.type());
            }
        }
        boolean plugin = isPlugin(bundle);
        return new PluginInfo(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                bundle.getHeaders().get(Constants.BUNDLE_NAME), state(bundle), bundle.getLocation(), plugin, types,
                error(bundle, plugin));
    }

    private boolean isPlugin(Bundle bundle) {
        return guard.isPlugin(bundle.getLocation());
    }

    private String error(Bundle bundle, boolean plugin) {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return null;
        }
        if (bundle.getState() == Bundle.INSTALLED || bundle.getState() == Bundle.RESOLVED) {
            if (!plugin) {
                return bundle.getState() == Bundle.INSTALLED ? "not resolved" : null;
            }
            String key = bundle.getBundleId() + "@" + bundle.getLastModified();
            // Starting reports why the bundle cannot resolve or its activator failed; it is what
            // FileInstall would do anyway, and a plugin that now resolves simply starts.
            return startFailures.computeIfAbsent(key, k -> {
                try {
                    bundle.start();
                    return "";
                } catch (BundleException | IllegalStateException e) {
                    return e.getMessage();
                }
            }).transform(s -> s.isEmpty() ? null : s);
        }
        if (bundle.getState() != Bundle.ACTIVE) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add("component " + description.name + " failed to activate: " + rootCause(configuration.failure));
                } else if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    for (UnsatisfiedReferenceDTO ref : configuration.unsatisfiedReferences) {
                        problems.add("component " + description.name + " waits for a service: " + ref.name
                                + (ref.target == null ? "" : " " + ref.target));
                    }
                }
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /**
     * SCR reports a failed activation as a whole stack trace whose first line is usually a bare
     * InvocationTargetException; the plugin author's own message is in the last "Caused by".
     */
    static String rootCause(String failure) {
        if (failure == null) {
            return "unknown reason";
        }
        String summary = failure.lines().findFirst().orElse(failure).trim();
        for (String line : failure.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                summary = line.substring("Caused by: ".length()).trim();
            }
        }
        return summary;
    }

    private static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.ACTIVE -> "active";
            default -> "uninstalled";
        };
    }

    @Override
    public String upload(String fileName, InputStream jar) throws IOException {
        if (fileName == null || !JAR_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("a plugin file name must look like 'name-1.0.jar' (letters, digits, '.', '-', '_'), not "
                    + fileName);
        }
        Files.createDirectories(pluginsDir);
        // Written beside the folder first and moved in whole, so hot deploy never sees half a JAR.
        Path temp = Files.createTempFile(pluginsDir.getParent() == null ? pluginsDir : pluginsDir.getParent(), "upload-", ".part");
        try {
            Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
            try (JarInputStream in = new JarInputStream(Files.newInputStream(temp))) {
                Manifest manifest = in.getManifest();
                if (manifest == null || manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                    throw new IllegalArgumentException(fileName + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(fileName + " is not a JAR file: " + e.getMessage(), e);
            }
            Path target = pluginsDir.resolve(fileName);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target.toString();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void remove(long id) throws NotFoundException, ConflictException, IOException {
        Bundle bundle = context.getBundle(id);
        if (bundle == null) {
            throw new NotFoundException("no bundle with id " + id);
        }
        if (!isPlugin(bundle)) {
            throw new ConflictException("bundle " + bundle.getSymbolicName() + " is part of the platform, not a plugin; it cannot be removed");
        }
        Files.deleteIfExists(Path.of(java.net.URI.create(bundle.getLocation())));
    }
}

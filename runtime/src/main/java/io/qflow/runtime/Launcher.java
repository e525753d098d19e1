package io.qflow.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Qflow: reads the settings, boots Felix, installs the bundles of the configured features
 * from {@code bundle/}, starts them, lets FileInstall hot-deploy {@code plugins/}, and runs until
 * the framework stops (SIGTERM, Ctrl-C, or the system bundle being stopped).
 *
 * <p>Plain Java on the class path, not a bundle. Its class path also carries SLF4J, which the
 * system bundle exports to every bundle (slf4j-api 2 cannot find a provider inside OSGi without
 * an SPI Fly extender; see runtime/README.md).
 */
public final class Launcher {

    /** System property the REST front reads for readiness: "false" while feature bundles start. */
    static final String READY_PROPERTY = "qflow.ready";

    private static final long STOP_TIMEOUT_MS = 30_000;

    private final Settings settings;
    private final Logger log;
    private final List<String> problems = new ArrayList<>();

    private Launcher(Settings settings) {
        this.settings = settings;
        this.log = LoggerFactory.getLogger(Launcher.class);
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.load(home(), System.getenv(), System.getProperties());
        } catch (IOException | RuntimeException e) {
            System.err.println("qflow: cannot read the settings: " + e.getMessage());
            System.exit(1);
            return;
        }
        // Before the first LoggerFactory call: slf4j-simple reads its configuration from system properties.
        settings.asMap().forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
        Launcher launcher = new Launcher(settings);
        try {
            System.exit(launcher.run());
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            launcher.log.error("Qflow cannot start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    private int run() throws Exception {
        Path home = settings.path(Settings.HOME);
        log.debug("Home {}, JVM up for {} ms", home, ManagementFactory.getRuntimeMXBean().getUptime());
        List<Feature> features = new ArrayList<>();
        for (String name : settings.features()) {
            features.add(Feature.read(home.resolve("features"), name));
        }
        Path data = settings.path(Settings.DATA);
        Path plugins = settings.path(Settings.PLUGINS);
        Files.createDirectories(data);
        Files.createDirectories(plugins);

        List<BundleRef> bundles = bundlesOf(features, home.resolve("bundle"));
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(frameworkProperties(data, plugins, bundles));
        framework.init(event -> {
            if (event.getType() == FrameworkEvent.ERROR) {
                log.error("Framework error from {}: {}", name(event.getBundle()), message(event.getThrowable()), event.getThrowable());
            } else if (event.getType() == FrameworkEvent.WARNING) {
                log.warn("Framework warning from {}: {}", name(event.getBundle()), message(event.getThrowable()));
            }
        });
        log.debug("Framework initialised");
        Thread shutdown = new Thread(() -> stop(framework), "qflow-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        Map<BundleRef, Bundle> installed = install(framework.getBundleContext(), bundles, home.resolve("bundle"));
        log.debug("Installed {} bundles", installed.size());
        // /api/v1/health answers UP only once every feature bundle has been started (READY_PROPERTY).
        System.setProperty(READY_PROPERTY, "false");
        framework.start();
        start(installed);
        System.setProperty(READY_PROPERTY, "true");

        if (framework.getState() != Bundle.ACTIVE) {
            log.info("Stopped while starting");   // SIGTERM arrived during start-up
            framework.waitForStop(STOP_TIMEOUT_MS);
            return 0;
        }
        if (!problems.isEmpty()) {
            log.warn("Started with {} problem(s):\n  {}", problems.size(), String.join("\n  ", problems));
        }
        System.out.println("Qflow started in " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms — "
                + "http://" + hostForUrl(settings.get(Settings.HOST)) + ":" + settings.port() + "/");

        FrameworkEvent stopped;
        do {
            stopped = framework.waitForStop(0);
        } while (stopped.getType() == FrameworkEvent.STOPPED_UPDATE);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdown);
            log.info("Qflow stopped");
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and reports the stop itself
        }
        return 0;
    }

    /** Every bundle of every feature once, in feature order; a jar that is not in bundle/ is reported and left out. */
    private List<BundleRef> bundlesOf(List<Feature> features, Path bundleDir) {
        Map<String, BundleRef> bundles = new LinkedHashMap<>();
        for (Feature feature : features) {
            for (BundleRef bundle : feature.bundles()) {
                if (!Files.isRegularFile(bundle.file(bundleDir))) {
                    problem("feature '" + feature.name() + "' lists " + bundle + " but " + bundle.file(bundleDir)
                            + " does not exist: left out");
                    continue;
                }
                bundles.putIfAbsent(bundle.fileName(), bundle);
            }
        }
        return List.copyOf(bundles.values());
    }

    private Map<String, String> frameworkProperties(Path data, Path plugins, List<BundleRef> bundles) throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put("felix.log.level", "1");
        props.putAll(settings.asMap());

        props.put(Constants.FRAMEWORK_STORAGE, data.resolve("felix-cache").toString());
        // Bundles come from bundle/ and plugins/ on every start; a cache from an earlier run
        // (or one killed with -9) is never trusted.
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        String extra = exportPackageOf(LoggerFactory.class);
        String configured = settings.get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                configured == null || configured.isBlank() ? extra : extra + "," + configured);
        int highestLevel = bundles.stream().mapToInt(BundleRef::startLevel).max().orElse(1);
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(highestLevel));

        props.put("felix.fileinstall.dir", plugins.toString());
        props.putIfAbsent("felix.fileinstall.poll", "250");
        props.putIfAbsent("felix.fileinstall.noInitialDelay", "true");
        props.putIfAbsent("felix.fileinstall.bundles.new.start", "true");
        props.putIfAbsent("felix.fileinstall.log.level", "3");
        return props;
    }

    private Map<BundleRef, Bundle> install(BundleContext context, List<BundleRef> bundles, Path bundleDir) {
        Map<BundleRef, Bundle> installed = new LinkedHashMap<>();
        for (BundleRef ref : bundles) {
            try {
                // reference: Felix reads the jar where it lies instead of copying it into the cache
                Bundle bundle = context.installBundle("reference:" + ref.file(bundleDir).toUri());
                bundle.adapt(BundleStartLevel.class).setStartLevel(ref.startLevel());
                installed.put(ref, bundle);
            } catch (BundleException e) {
                problem("cannot install " + ref.file(bundleDir) + ": " + e.getMessage());
            }
        }
        return installed;
    }

    /** Starts bundles by start level, then in feature order; a failure is reported and the rest go on. */
    private void start(Map<BundleRef, Bundle> installed) {
        installed.entrySet().stream()
                .filter(e -> e.getKey().start() && e.getValue().getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .sorted(Comparator.comparingInt(e -> e.getKey().startLevel())) // stable: keeps feature order
                .forEach(e -> {
                    try {
                        long t0 = System.nanoTime();
                        e.getValue().start();
                        log.debug("Started {} in {} ms", name(e.getValue()), (System.nanoTime() - t0) / 1_000_000);
                    } catch (BundleException | RuntimeException ex) {
                        problem("bundle " + name(e.getValue()) + " failed to start: " + message(ex));
                    }
                });
    }

    private void stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                log.info("Stopping Qflow");
                framework.stop();
                FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
                if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    log.error("Qflow did not stop within {} ms", STOP_TIMEOUT_MS);
                    return;
                }
            }
            log.info("Qflow stopped");
        } catch (BundleException | InterruptedException e) {
            log.error("Stopping Qflow failed: {}", e.getMessage(), e);
        }
    }

    private void problem(String message) {
        log.error(message);
        problems.add(message);
    }

    /** The Export-Package header of the jar a class came from: what the system bundle re-exports. */
    static String exportPackageOf(Class<?> type) throws IOException {
        try (JarFile jar = new JarFile(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
            String exports = jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null) {
                throw new IOException(jar.getName() + " has no Export-Package header");
            }
            return exports;
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** {@code -Dqflow.home} (set by bin/qflow), else the folder above the launcher's jar in lib/. */
    private static Path home() throws URISyntaxException {
        String home = System.getProperty(Settings.HOME);
        if (home != null) {
            return Path.of(home);
        }
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent();
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String name(Bundle bundle) {
        return bundle == null ? "?" : bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    /** The message with its causes: Felix puts the resolver's explanation in the message itself. */
    private static String message(Throwable t) {
        if (t == null) {
            return "";
        }
        StringBuilder text = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\n    caused by ").append(cause);
        }
        return text.toString();
    }
}

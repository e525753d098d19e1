package io.qflow.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.qflow.engine.NodeCatalog;
import io.qflow.engine.PluginInfo;
import io.qflow.engine.PluginInventory;
import io.qflow.sdk.NodeDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Plugin discovery through the real OSGi service registry: Felix with Declarative Services, the SDK,
 * the engine and the libraries it imports (no store, no REST: the {@link NodeCatalog} and
 * {@link PluginInventory} components need only SCR). Plugins are installed, updated and uninstalled
 * through the {@link BundleContext}, as FileInstall does in the runtime.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginDiscoveryIT {

    /** The same bundles, in the same order, as the platform and core features, less store/REST/nodes. */
    private static final List<String> FRAMEWORK_BUNDLES = List.of(
            "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component", "org.apache.felix.scr",
            "jackson-annotations", "jackson-core", "jackson-databind", "jackson-datatype-jsr310",
            "jackson-dataformat-yaml", "snakeyaml", "jheaps", "apfloat", "jgrapht-core", "commons-logging",
            "commons-jexl3", "itu", "json-schema-validator", "io.qflow.sdk", "io.qflow.engine");
    private static final String SLF4J = "2.0.17";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Inject
    private BundleContext context;
    @Inject
    private NodeCatalog catalog;
    @Inject
    private PluginInventory inventory;

    private final List<Bundle> installed = new ArrayList<>();

    @Configuration
    public Option[] config() throws IOException {
        List<Option> options = new ArrayList<>();
        // SLF4J as the runtime provides it: slf4j-api and slf4j-simple on the class path, the API
        // exported by the system bundle (slf4j-api 2 finds no provider inside OSGi without SPI Fly)
        options.add(systemPackages("org.slf4j;version=" + SLF4J, "org.slf4j.event;version=" + SLF4J,
                "org.slf4j.helpers;version=" + SLF4J, "org.slf4j.spi;version=" + SLF4J));
        // the inventory treats JARs under this folder as hot-deployed plugins, like the runtime's plugins/
        options.add(frameworkProperty("qflow.plugins").value(pluginsDir().toString()));
        options.add(systemProperty("qflow.itest.bundles").value(bundlesDir().toString()));
        options.add(systemProperty("qflow.itest.work").value(workDir().toString()));
        for (String name : FRAMEWORK_BUNDLES) {
            options.add(bundle(bundleFile(name).toUri().toString()));
        }
        options.add(junitBundles());
        options.add(cleanCaches());
        return options.toArray(Option[]::new);
    }

    @After
    public void uninstallPlugins() throws BundleException {
        for (Bundle bundle : installed) {
            if (bundle.getState() != Bundle.UNINSTALLED) {
                bundle.uninstall();
            }
        }
    }

    @Test
    public void catalogFollowsInstallUpdateAndUninstall() throws Exception {
        assertTrue("no example.greet before the plugin is installed", catalog.descriptor("example.greet").isEmpty());

        Bundle plugin = install("io.qflow.example.greeting");
        plugin.start();
        NodeDescriptor v1 = await("example.greet in the catalogue", () -> catalog.descriptor("example.greet"));
        assertEquals("Greet", v1.name());
        assertEquals("Hello", v1.configSchema().at("/properties/greeting/default").asText());
        assertEquals("object{name:string}", v1.inputs().get(0).type().toString());
        String provider = catalog.provider("example.greet").orElseThrow();
        assertTrue(provider, provider.startsWith("io.qflow.example.greeting/0.1.0"));
        assertTrue("a NodeType service for example.greet", catalog.nodeType("example.greet").isPresent());

        try (InputStream v2 = Files.newInputStream(bundleFile("io.qflow.fixture.greeting.v2"))) {
            plugin.update(v2);
        }
        assertEquals("0.2.0", plugin.getVersion().toString());
        NodeDescriptor updated = await("the 0.2.0 descriptor",
                () -> catalog.descriptor("example.greet").filter(d -> d.description().contains("0.2.0")));
        assertEquals("Hi", updated.configSchema().at("/properties/greeting/default").asText());
        assertEquals("io.qflow.example.greeting/0.2.0", catalog.provider("example.greet").orElseThrow());

        plugin.uninstall();
        await("example.greet gone", () -> catalog.descriptor("example.greet").isEmpty() ? Optional.of(true) : Optional.empty());
        assertTrue(catalog.nodeType("example.greet").isEmpty());
    }

    @Test
    public void inventoryReportsAPluginThatDoesNotResolve() throws Exception {
        Bundle broken = install("io.qflow.fixture.broken.unresolved");
        try {
            broken.start();
            fail("a bundle importing com.example.missing must not start");
        } catch (BundleException expected) {
            // the inventory reports the same resolver message below
        }
        PluginInfo info = inventory.plugin(broken.getBundleId()).orElseThrow();
        assertTrue("listed as a plugin: " + info, info.plugin());
        assertEquals("installed", info.state());
        assertNotNull("an error for " + info, info.error());
        assertTrue(info.error(), info.error().contains("com.example.missing"));
        assertTrue(inventory.plugins().stream().anyMatch(p -> p.id() == broken.getBundleId() && p.error() != null));
        assertTrue(catalog.descriptor("broken.unresolved").isEmpty());
    }

    @Test
    public void inventoryReportsAComponentThatFailsToActivate() throws Exception {
        Bundle broken = install("io.qflow.fixture.broken.activate");
        broken.start();
        assertEquals(Bundle.ACTIVE, broken.getState());
        PluginInfo info = await("an activation error for broken-activate",
                () -> inventory.plugin(broken.getBundleId()).filter(p -> p.error() != null));
        assertTrue(info.error(), info.error().contains("failed to activate"));
        assertTrue(info.error(), info.error().contains("always fails to activate"));
        assertTrue(catalog.descriptor("broken.activate").isEmpty());
    }

    /** Copies a fixture JAR into the plugins folder and installs it from there, as FileInstall would. */
    private Bundle install(String artifactId) throws IOException, BundleException {
        Path jar = pluginsDir().resolve(artifactId + ".jar");
        Files.createDirectories(jar.getParent());
        Files.copy(bundleFile(artifactId), jar, StandardCopyOption.REPLACE_EXISTING);
        Bundle bundle = context.installBundle(jar.toUri().toString());
        installed.add(bundle);
        return bundle;
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Path bundleFile(String artifactId) {
        Path file = bundlesDir().resolve(artifactId + ".jar");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: run the test through Maven (mvn verify), which copies it");
        }
        return file;
    }

    private static Path bundlesDir() {
        return Path.of(System.getProperty("qflow.itest.bundles", "target/bundles")).toAbsolutePath();
    }

    private static Path workDir() {
        return Path.of(System.getProperty("qflow.itest.work", "target/osgi-work")).toAbsolutePath();
    }

    private static Path pluginsDir() {
        return workDir().resolve("plugins");
    }
}

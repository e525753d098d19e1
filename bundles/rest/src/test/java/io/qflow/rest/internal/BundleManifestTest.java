package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The manifest bnd wrote (in process-classes, before the tests): embeds Javalin privately, exports
 * nothing, and imports for real only the SDK, the engine API, Jackson, slf4j and the framework.
 */
class BundleManifestTest {

    private static final List<String> ALLOWED_MANDATORY = List.of(
            "io.qflow.sdk", "io.qflow.engine", "io.qflow.rest.spi", "com.fasterxml.jackson.", "org.slf4j", "org.osgi.framework");

    @Test
    void importsOnlyWhatTheRuntimeProvides() throws Exception {
        Attributes main = manifest().getMainAttributes();
        assertEquals("io.qflow.rest", main.getValue("Bundle-SymbolicName"));
        String exports = main.getValue("Export-Package");
        assertTrue(exports != null && exports.startsWith("io.qflow.rest.spi;") && !exports.contains(","),
                "only the WebAssets SPI is exported: " + exports);
        List<String> mandatory = new ArrayList<>();
        for (String clause : splitClauses(main.getValue("Import-Package"))) {
            String name = clause.split(";")[0].trim();
            if (!clause.contains("resolution:=optional")) {
                mandatory.add(name);
                assertTrue(ALLOWED_MANDATORY.stream().anyMatch(allowed -> name.equals(allowed) || name.startsWith(allowed)),
                        "mandatory import of " + name);
            }
            assertTrue(!name.startsWith("io.javalin") && !name.startsWith("org.eclipse.jetty") && !name.startsWith("kotlin.")
                    || clause.contains("resolution:=optional"), "embedded package imported: " + clause);
        }
        assertTrue(mandatory.contains("io.qflow.engine") && mandatory.contains("com.fasterxml.jackson.databind"), mandatory.toString());
        assertTrue(mandatory.contains("com.fasterxml.jackson.datatype.jsr310"), mandatory.toString());
    }

    @Test
    void javalinJettyAndKotlinAreOnTheBundleClassPath() throws Exception {
        String classPath = manifest().getMainAttributes().getValue("Bundle-ClassPath");
        assertTrue(classPath.startsWith(".,"), classPath);
        for (String jar : List.of("lib/javalin.jar", "lib/jetty-server.jar", "lib/kotlin-stdlib.jar", "lib/jakarta.servlet-api.jar")) {
            assertTrue(classPath.contains(jar), jar + " in " + classPath);
            assertTrue(Files.isRegularFile(classes().resolve(jar)), jar + " is packed");
        }
        assertTrue(!classPath.contains("jackson") && !classPath.contains("slf4j"), "Jackson and slf4j are imported, not embedded");
    }

    @Test
    void restServerIsADeclarativeServicesComponent() throws Exception {
        String components = manifest().getMainAttributes().getValue("Service-Component");
        String server = "OSGI-INF/io.qflow.rest.internal.RestServer.xml";
        assertTrue(List.of(components.split(",")).contains(server), components);
        String xml = Files.readString(classes().resolve(server));
        assertTrue(xml.contains("immediate=\"true\""), xml);
        for (String service : List.of("WorkflowService", "ExecutionService", "NodeCatalog", "PluginInventory")) {
            assertTrue(xml.contains("interface=\"io.qflow.engine." + service + "\""), service);
        }
    }

    @Test
    void thePythonAdapterIsOptional() throws Exception {
        // Without io.qflow.python the bundle still resolves and starts; /api/v1/python answers 503.
        String imports = manifest().getMainAttributes().getValue("Import-Package");
        java.util.regex.Matcher python = java.util.regex.Pattern.compile("io\\.qflow\\.python;version=\"[^\"]*\"[^,]*").matcher(imports);
        assertTrue(python.find(), imports);
        assertTrue(python.group().contains("resolution:=optional"), python.group());
    }

    private static Path classes() {
        return Path.of("target", "classes");
    }

    private static Manifest manifest() throws Exception {
        try (InputStream in = Files.newInputStream(classes().resolve("META-INF/MANIFEST.MF"))) {
            return new Manifest(in);
        }
    }

    /** Splits a manifest header at the commas outside quotes. */
    static List<String> splitClauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        clauses.add(current.toString());
        return clauses;
    }
}

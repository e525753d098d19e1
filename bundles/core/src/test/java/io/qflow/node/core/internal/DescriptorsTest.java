package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.NodeType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every descriptor is complete and its config schema is valid JSON Schema that its examples satisfy. */
class DescriptorsTest {

    private static final Set<String> TYPES = Set.of(
            "core.input", "core.set", "core.if", "core.switch", "core.merge", "core.filter", "core.sort",
            "core.limit", "core.aggregate", "core.foreach", "core.delay", "core.http.request",
            "core.json.parse", "core.json.stringify", "core.csv.read", "core.csv.write",
            "core.file.read", "core.file.write", "core.log", "core.noop", "core.approval", "core.form",
            "core.workflow", "core.while");
    private static final Set<String> CATEGORIES = Set.of("Input", "Flow", "Data", "Network", "Files", "Utility");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema META_SCHEMA = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    @TempDir
    static Path files;

    static Stream<NodeType> nodes() {
        return CoreNodes.all(files).stream();
    }

    @Test
    void theBundleProvidesExactlyTheTwentyCoreTypes() {
        List<String> types = nodes().map(n -> n.descriptor().type()).toList();
        assertEquals(TYPES, new TreeSet<>(types));
        assertEquals(TYPES.size(), types.size(), "duplicate type ids: " + types);
    }

    @Test
    void everyComponentClassIsInTheList() throws Exception {
        // a node class added to the bundle but forgotten in CoreNodes.all would escape these checks
        Path classes = Path.of(NoopNode.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(NoopNode.class.getPackageName().replace('.', '/'));
        Set<String> nodeClasses;
        try (Stream<Path> list = java.nio.file.Files.list(classes)) {
            nodeClasses = list.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith("Node.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(nodeClasses, nodes().map(n -> n.getClass().getSimpleName()).collect(Collectors.toCollection(TreeSet::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodes")
    void descriptorIsComplete(NodeType node) {
        NodeDescriptor d = node.descriptor();
        assertTrue(CATEGORIES.contains(d.category()), d.type() + " has category " + d.category());
        assertFalse(d.name().equals(d.type()), d.type() + " needs a human name");
        assertFalse(d.description().isBlank(), d.type() + " needs a description");
        assertNotNull(d.icon(), d.type() + " needs an icon");
        assertFalse(d.examples().isEmpty(), d.type() + " needs an example");
        assertFalse(d.outputs().isEmpty(), d.type() + " has no output");
        d.inputs().forEach(p -> assertFalse(p.description() == null || p.description().isBlank(), d.type() + "." + p.name()));
        d.outputs().forEach(p -> assertFalse(p.description() == null || p.description().isBlank(), d.type() + "." + p.name()));
        assertTrue(node.descriptor() == d, d.type() + ": descriptor() should return a constant");
        for (String deferred : d.deferredConfig()) {
            assertTrue(d.configSchema().path("properties").has(deferred), d.type() + " defers unknown field " + deferred);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodes")
    void configSchemaIsValidJsonSchemaForAnObject(NodeType node) {
        NodeDescriptor d = node.descriptor();
        List<Error> errors = META_SCHEMA.validate(d.configSchema().toString(), InputFormat.JSON);
        assertTrue(errors.isEmpty(), d.type() + " schema is not valid JSON Schema 2020-12: " + errors);
        assertEquals("https://json-schema.org/draft/2020-12/schema", d.configSchema().path("$schema").asText());
        assertEquals("object", d.configSchema().path("type").asText());
        d.configSchema().path("properties").properties().forEach(p ->
                assertTrue(p.getValue().has("title") && p.getValue().has("description"),
                        d.type() + " config '" + p.getKey() + "' needs a title and description for the editor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodes")
    void everyExampleSatisfiesTheSchema(NodeType node) {
        NodeDescriptor d = node.descriptor();
        Schema schema = REGISTRY.getSchema(d.configSchema().toString(), InputFormat.JSON);
        for (JsonNode example : d.examples()) {
            List<Error> errors = schema.validate(example.toString(), InputFormat.JSON);
            assertTrue(errors.isEmpty(), d.type() + " example " + example + " fails its schema: " + errors);
        }
        // and the schema rejects a misspelt field, so typos surface when the workflow is saved
        List<Error> typo = schema.validate("{\"definitelyNotAField\": 1}", InputFormat.JSON);
        assertFalse(typo.isEmpty(), d.type() + " schema accepts unknown fields");
    }

    /**
     * Nodes that only compute may run on the thread of a caller waiting for the outcome; those that do
     * I/O, sleep, wait for a decision's resumption elsewhere or run sub-workflows must not.
     */
    @Test
    void onlyTheNodesThatComputeSayTheyDoNotBlock() {
        Set<String> computing = Set.of("core.input", "core.set", "core.if", "core.switch", "core.merge", "core.filter",
                "core.sort", "core.limit", "core.aggregate", "core.foreach", "core.json.parse", "core.json.stringify",
                "core.csv.read", "core.csv.write", "core.log", "core.noop", "core.approval", "core.form");
        JsonNode empty = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        Set<String> nonBlocking = nodes().filter(n -> n.nonBlocking(empty)).map(n -> n.descriptor().type())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(computing), nonBlocking);
        JsonNode perItemWorkflow = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("workflow", "enrich");
        assertFalse(new ForEachNode().nonBlocking(perItemWorkflow), "a sub-workflow per item waits for each");
    }
}

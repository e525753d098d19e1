package io.qflow.engine;

import static io.qflow.engine.TestNodes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private final TestNodes nodes = new TestNodes();
    private final Engine engine = Engine.builder()
            .nodeTypes(nodes.input(), nodes.value(), nodes.integer(), nodes.text(), nodes.branch()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void everyProblemIsReportedAtOnceWithNodeAndPort() {
        String doc = """
            {'name': 'broken', 'nodes': [
              {'id': 'a', 'type': 'test.text'},
              {'id': 'b', 'type': 'test.int'},
              {'id': 'c', 'type': 'no.such'},
              {'id': 'd', 'type': 'test.int', 'config': {'add': 'many'}},
              {'id': 'e', 'type': 'test.value', 'config': {'value': '{{ input.a + }}'}},
              {'id': 'f', 'type': 'test.value', 'config': {'value': '{{ secret.x }}'}, 'retry': {'maxAttempts': 0}}
            ], 'connections': [
              {'from': 'a.out', 'to': 'b.in'},
              {'from': 'b.nope', 'to': 'e.in'}
            ]}""";
        ValidationException e = assertThrows(ValidationException.class, () -> engine.workflows().create(json(doc)));
        Set<String> codes = e.problems().stream().map(p -> p.code() + "@" + p.nodeId()).collect(Collectors.toSet());
        assertTrue(codes.contains("connection.type.mismatch@b"), codes.toString());
        assertTrue(codes.contains("node.type.unknown@c"), codes.toString());
        assertTrue(codes.contains("node.config.invalid@d"), codes.toString());
        assertTrue(codes.contains("node.input.missing@d"), codes.toString());
        assertTrue(codes.contains("connection.port.unknown@b"), codes.toString());
        assertTrue(codes.contains("expression.invalid@e"), codes.toString());
        assertTrue(codes.contains("expression.variable.unknown@f"), codes.toString());
        assertTrue(codes.contains("node.retry.maxAttempts@f"), codes.toString());
        Problem mismatch = e.problems().stream().filter(p -> p.code().equals("connection.type.mismatch")).findFirst().orElseThrow();
        assertEquals("in", mismatch.port());
        assertTrue(mismatch.message().contains("a.out (string)") && mismatch.message().contains("b.in (integer)"), mismatch.message());
        assertTrue(engine.workflows().list().isEmpty(), "nothing is stored");
    }

    @Test
    void pythonSettingsAreCheckedWhenTheWorkflowIsSaved() throws Exception {
        String doc = """
            {'name': 'py', 'settings': {'python': {'verison': '3.13', 'version': '3.1l', 'backend': 'docker',
              'requirements': 'pyyaml', 'limits': {'memoryMb': 0.5, 'network': 'no', 'gpus': 1, 'timeoutSeconds': 5}}},
             'nodes': [{'id': 'v', 'type': 'test.value', 'config': {'value': 1}}]}""";
        ValidationException e = assertThrows(ValidationException.class, () -> engine.workflows().create(json(doc)));
        Set<String> pointers = e.problems().stream().map(Problem::field).collect(Collectors.toSet());
        assertEquals(Set.of("/settings/python/verison", "/settings/python/version", "/settings/python/requirements",
                "/settings/python/limits/memoryMb", "/settings/python/limits/network", "/settings/python/limits/gpus"), pointers,
                e.problems().toString());
        assertTrue(e.problems().stream().allMatch(p -> p.code().equals("settings.python")), e.problems().toString());
        assertTrue(engine.workflows().list().isEmpty(), "nothing is stored");

        String good = """
            {'name': 'py', 'settings': {'python': {'version': '3.13', 'backend': 'process', 'environment': 'default',
              'requirements': ['pyyaml==6.0.2'], 'limits': {'memoryMb': 256, 'cpus': 0.5, 'network': false, 'timeoutSeconds': 2.5}}},
             'nodes': [{'id': 'v', 'type': 'test.value', 'config': {'value': 1}}]}""";
        assertEquals(1, engine.workflows().create(json(good)).version());
    }

    @Test
    void cyclesAreRefused() {
        String doc = """
            {'name': 'loop', 'nodes': [
              {'id': 'a', 'type': 'test.value', 'config': {'value': 1}},
              {'id': 'b', 'type': 'test.value', 'config': {'value': 2}}
            ], 'connections': [{'from': 'a.out', 'to': 'b.in'}, {'from': 'b.out', 'to': 'a.in'}]}""";
        ValidationReport report = engine.workflows().validate(json(doc));
        assertTrue(report.problems().stream().anyMatch(p -> p.code().equals("graph.cycle")), report.toString());
    }

    @Test
    void expressionStringsAreNotHeldAgainstTheSchema() throws Exception {
        String doc = """
            {'name': 'ok', 'nodes': [
              {'id': 'v', 'type': 'test.value', 'config': {'value': 1}},
              {'id': 'i', 'type': 'test.int', 'config': {'add': '{{ input.n }}'}}
            ], 'connections': [{'from': 'v.out', 'to': 'i.in'}]}""";
        StoredWorkflow stored = engine.workflows().create(json(doc));
        assertEquals(1, stored.version());
        assertEquals(List.of(), engine.workflows().availability(stored.id()));
    }

    @Test
    void updatesAreVersionedAndStaleOnesRefused() throws Exception {
        String doc = "{'name': 'v', 'nodes': [{'id': 'v', 'type': 'test.value', 'config': {'value': 1}}]}";
        StoredWorkflow first = engine.workflows().create(json(doc));
        StoredWorkflow second = engine.workflows().update(first.id(), first.document());
        assertEquals(2, second.version());
        assertThrows(ConflictException.class, () -> engine.workflows().update(first.id(), first.document()));
        assertEquals("v", second.document().get("nodes").get(0).get("id").asText());
        engine.workflows().delete(first.id());
        assertThrows(NotFoundException.class, () -> engine.workflows().delete(first.id()));
    }
}

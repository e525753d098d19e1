package io.qflow.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import io.qflow.engine.spi.ExecutionRepository;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Cutting a row's JSON columns out of an execution's JSON form. */
class ExecutionJsonColumnsTest {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Test
    void eachColumnIsItsTopLevelValueAsWritten() {
        ExecutionJsonColumns columns = of("{\"id\":\"e\",\"input\":{\"nodes\":[1,{\"x\":\"]}\"}]},\"createdAt\":\"t\","
                + "\"outputs\":{\"a\":{\"out\":\"é ✓\"}},\"error\":{\"message\":\"m\"},\"nodes\":[{\"nodeId\":\"a\",\"inputs\":{\"in\":[1]}}]}");

        assertEquals("{\"nodes\":[1,{\"x\":\"]}\"}]}", columns.input(), "a field of the same name inside a value is not the execution's");
        assertEquals("{\"a\":{\"out\":\"é ✓\"}}", columns.outputs(), "multi-byte characters counted in bytes");
        assertEquals("{\"message\":\"m\"}", columns.error());
        assertEquals("[{\"nodeId\":\"a\",\"inputs\":{\"in\":[1]}}]", columns.nodes());
    }

    @Test
    void nullsAreNoTextAndNodesNeedNotComeLast() {
        ExecutionJsonColumns columns = of("{\"nodes\":[],\"input\":{},\"outputs\":null,\"error\":null,\"extra\":[1,2]}");

        assertEquals("[]", columns.nodes());
        assertEquals("{}", columns.input());
        assertNull(columns.outputs());
        assertNull(columns.error());
    }

    @Test
    void somethingElseThanAnObjectIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> of("[1]"));
        assertThrows(IllegalArgumentException.class, () -> of("{\"input\": {"));
    }

    @Test
    void theSpansTheEngineGivesAreTakenAsTheyAre() throws Exception {
        String document = "{\"id\":\"e\",\"input\":{\"nodes\":[1,{\"x\":\"]}\"}]},\"createdAt\":\"t\","
                + "\"outputs\":{\"a\":{\"out\":\"é ✓\"}},\"error\":null,\"nodes\":[{\"nodeId\":\"a\"}]}";
        byte[] json = document.getBytes(StandardCharsets.UTF_8);

        ExecutionJsonColumns columns = ExecutionJsonColumns.of(json, StoreContractTest.spansOf(json));

        assertEquals(of(document), columns, "the same columns as read from the document");
        assertNull(columns.error(), "null is no text");
    }

    @Test
    void spansThatDoNotFitTheDocumentAreRefused() {
        byte[] json = "{\"input\":{},\"outputs\":null,\"error\":null,\"nodes\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> ExecutionJsonColumns.of(json,
                new ExecutionRepository.JsonSpans(9, 11, 22, 26, 35, 39, 48, 60)), "past the end");
        assertThrows(IllegalArgumentException.class, () -> ExecutionJsonColumns.of(json,
                new ExecutionRepository.JsonSpans(8, 11, 22, 26, 35, 39, 48, 50)), "not where a value starts");
        assertEquals(new ExecutionJsonColumns("{}", null, null, "[]"), ExecutionJsonColumns.of(json,
                new ExecutionRepository.JsonSpans(9, 11, 22, 26, 35, 39, 48, 50)), "the spans that fit");
    }

    private static ExecutionJsonColumns of(String json) {
        return ExecutionJsonColumns.of(FACTORY, json.getBytes(StandardCharsets.UTF_8));
    }
}

package io.qflow.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
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

    private static ExecutionJsonColumns of(String json) {
        return ExecutionJsonColumns.of(FACTORY, json.getBytes(StandardCharsets.UTF_8));
    }
}

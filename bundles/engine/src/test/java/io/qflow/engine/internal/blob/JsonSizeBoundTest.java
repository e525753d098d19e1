package io.qflow.engine.internal.blob;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cheap size bound that spares writing out small values must never be below the real size. */
class JsonSizeBoundTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void theBoundIsNeverBelowTheBytesJacksonWrites() throws Exception {
        ObjectNode nested = NODES.objectNode();
        nested.put("control \u0001\u001f", "tab\tnewline\nquote\"backslash\\ \u0000");
        nested.put("unicode é✓", "😀 emoji and ✓ and ü");
        nested.put("min long", Long.MIN_VALUE);
        nested.put("tiny double", -Double.MIN_VALUE);
        nested.put("huge double", -Double.MAX_VALUE);
        nested.put("float", -Float.MAX_VALUE);
        nested.putNull("null");
        nested.put("false", false);
        ArrayNode array = nested.putArray("array");
        array.add(1).add("two").add(NODES.arrayNode()).add(NODES.objectNode()).addNull();
        ObjectNode deep = NODES.objectNode();
        deep.set("a", NODES.objectNode().set("b", NODES.arrayNode().add(nested.deepCopy())));
        for (JsonNode value : List.<JsonNode>of(NODES.objectNode(), NODES.arrayNode(), NODES.textNode(""),
                NODES.textNode("\u0001".repeat(1000)), NODES.numberNode(Integer.MIN_VALUE), nested, deep)) {
            long bound = LargeValues.jsonSizeAtMost(value, Long.MAX_VALUE);
            int actual = JSON.writeValueAsBytes(value).length;
            assertTrue(bound >= actual, "bound " + bound + " < " + actual + " bytes for " + value);
        }
    }

    @Test
    void theWalkStopsOnceTheLimitIsPassedAndValuesWithoutACheapBoundAreCountedForReal() {
        ArrayNode big = NODES.arrayNode();
        for (int i = 0; i < 100_000; i++) {
            big.add("item " + i);
        }
        assertTrue(LargeValues.jsonSizeAtMost(big, 1_000) > 1_000);
        assertTrue(LargeValues.jsonSizeAtMost(NODES.numberNode(new java.math.BigDecimal("1e-999999")), 1_000) > 1_000,
                "a BigDecimal can be as long as it likes: no bound without writing it");
        assertTrue(LargeValues.jsonSizeAtMost(NODES.binaryNode(new byte[10]), 1_000) > 1_000);
    }
}

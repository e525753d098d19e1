package ${package}.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.testkit.NodeHarness;
import org.junit.jupiter.api.Test;

/** Runs {@link ${nodeClass}} with {@link NodeHarness}: plain JUnit 5, no OSGi, no runtime. */
class ${nodeClass}Test {

    @Test
    void upperCasesAndPunctuates() {
        NodeHarness.of(new ${nodeClass}())
                .inputText("in", "hello")
                .run()
                .assertEmits("out", "\"HELLO!\"")
                .assertLogged("info", "5 characters");
    }

    @Test
    void takesItsConfigFromExpressions() {
        NodeHarness.of(new ${nodeClass}())
                .config("{\"punctuation\": \"{{ input.mark }}\", \"times\": 2}")
                .runInput("{\"mark\": \"?\"}")
                .inputText("in", "really")
                .run()
                .assertEmits("out", "\"REALLY??\"");
    }

    @Test
    void refusesWhatIsNotText() {
        NodeException e = NodeHarness.of(new ${nodeClass}())
                .input("in", "{\"not\": \"text\"}")
                .runExpectingFailure("data.invalid");
        assertFalse(e.retryable());
    }

    @Test
    void describesItself() {
        var descriptor = new ${nodeClass}().descriptor();
        assertEquals("${nodeType}", descriptor.type());
        assertEquals(DataType.STRING, descriptor.ports().input("in").orElseThrow().type());
        assertEquals("!", descriptor.configSchema().at("/properties/punctuation/default").asText());
    }
}

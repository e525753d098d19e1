package io.qflow.example.greeting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.testkit.NodeHarness;
import org.junit.jupiter.api.Test;

class GreetNodeTest {

    @Test
    void greetsWithTheDefaultGreeting() {
        NodeHarness.of(new GreetNode())
                .input("in", "{\"name\": \"Alice\"}")
                .run()
                .assertEmits("out", "\"Hello, Alice!\"")
                .assertLogged("info", "Alice");
    }

    @Test
    void usesTheConfiguredGreetingWithExpressions() {
        NodeHarness.of(new GreetNode())
                .config("{\"greeting\": \"{{ input.salutation }}\"}")
                .runInput("{\"salutation\": \"Good morning\"}")
                .input("in", "{\"name\": \"Bob\"}")
                .run()
                .assertEmits("out", "\"Good morning, Bob!\"");
    }

    @Test
    void refusesAnInputWithoutName() {
        NodeException failure = NodeHarness.of(new GreetNode())
                .input("in", "{\"nom\": \"Alice\"}")
                .runExpectingFailure("data.invalid");
        assertTrue(failure.getMessage().contains("name"), failure.getMessage());
        assertEquals(false, failure.retryable());
    }

    @Test
    void describesItsPortsAndSchema() {
        var descriptor = new GreetNode().descriptor();
        assertEquals("example.greet", descriptor.type());
        assertEquals(DataType.parse("object{name:string}"), descriptor.ports().input("in").orElseThrow().type());
        assertEquals(DataType.STRING, descriptor.ports().output("out").orElseThrow().type());
        assertEquals("Hello", descriptor.configSchema().at("/properties/greeting/default").asText());
    }
}

package io.qflow.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a NodeContext implemented before 1.1 gets from the default methods. */
class NodeContextDefaultsTest {

    /** A context implementing only the abstract methods (here: none answer), with the SDK's defaults. */
    private static NodeContext minimal() {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "nodeId" -> "n";
                case "isCancelled" -> false;
                default -> throw new UnsupportedOperationException(method.getName());
            };
        };
        return (NodeContext) Proxy.newProxyInstance(NodeContext.class.getClassLoader(), new Class<?>[] {NodeContext.class}, handler);
    }

    @Test
    void runWorkflowIsUnsupportedByDefault() {
        NodeException e = assertThrows(NodeException.class,
                () -> minimal().runWorkflow("child", JsonNodeFactory.instance.objectNode(), Duration.ofSeconds(1)));
        assertEquals("workflow.unsupported", e.code());
        assertFalse(e.retryable());
    }

    @Test
    void noDecisionByDefault() {
        assertEquals(java.util.Optional.empty(), minimal().decision());
    }
}

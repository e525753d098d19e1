package io.qflow.engine.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluginInventoryComponentTest {

    @Test
    void activationFailuresShowThePluginsOwnMessage() {
        String scrFailure = """
                java.lang.reflect.InvocationTargetException
                \tat java.base/jdk.internal.reflect.DirectConstructorHandleAccessor.newInstance(Unknown Source)
                Caused by: java.lang.IllegalStateException: no API key configured
                \tat com.acme.Node.<init>(Node.java:12)
                """;
        assertEquals("java.lang.IllegalStateException: no API key configured", PluginInventoryComponent.rootCause(scrFailure));
        assertEquals("boom", PluginInventoryComponent.rootCause("boom"));
    }
}

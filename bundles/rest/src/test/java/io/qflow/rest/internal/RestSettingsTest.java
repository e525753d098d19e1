package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RestSettingsTest {

    @Test
    void defaultsBindLoopbackOn8080With10MegabyteBodies() {
        RestSettings settings = RestSettings.from(key -> null, "1.2.3");
        assertEquals("127.0.0.1", settings.host());
        assertEquals(8080, settings.port());
        assertEquals(10L * 1024 * 1024, settings.maxBodyBytes());
        assertFalse(settings.benchPlain());
        assertEquals("1.2.3", settings.version());
    }

    @Test
    void propertiesOverrideDefaults() {
        Map<String, String> props = Map.of("qflow.host", "0.0.0.0", "qflow.port", " 9090 ",
                "qflow.http.maxBodyBytes", "2048", "qflow.bench.plain", "true");
        RestSettings settings = RestSettings.from(props::get, null);
        assertEquals("0.0.0.0", settings.host());
        assertEquals(9090, settings.port());
        assertEquals(2048, settings.maxBodyBytes());
        assertTrue(settings.benchPlain());
        assertEquals("unknown", settings.version());
    }

    @Test
    void invalidValuesNameTheProperty() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> RestSettings.from(Map.of("qflow.port", "http")::get, "1"));
        assertTrue(port.getMessage().contains("qflow.port"), port.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> RestSettings.from(Map.of("qflow.port", "70000")::get, "1"));
        assertTrue(range.getMessage().contains("qflow.port"), range.getMessage());
        IllegalArgumentException body = assertThrows(IllegalArgumentException.class,
                () -> RestSettings.from(Map.of("qflow.http.maxBodyBytes", "0")::get, "1"));
        assertTrue(body.getMessage().contains("qflow.http.maxBodyBytes"), body.getMessage());
    }
}

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
                "qflow.http.maxBodyBytes", "2048", "qflow.bench.plain", "true", "qflow.api.tokens", "admin:s3cret");
        RestSettings settings = RestSettings.from(props::get, null);
        assertEquals("0.0.0.0", settings.host());
        assertEquals(9090, settings.port());
        assertEquals(2048, settings.maxBodyBytes());
        assertTrue(settings.benchPlain());
        assertEquals("unknown", settings.version());
        assertEquals(1, settings.apiTokens().size());
    }

    @Test
    void noTokensByDefault() {
        assertTrue(RestSettings.from(key -> null, "1").apiTokens().isEmpty());
        assertTrue(RestSettings.from(Map.of("qflow.api.tokens", "  ")::get, "1").apiTokens().isEmpty());
    }

    @Test
    void loopbackHostsMayRunWithoutTokens() {
        for (String host : new String[] {"127.0.0.1", "127.0.1.1", "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1"}) {
            assertEquals(host, RestSettings.from(Map.of("qflow.host", host)::get, "1").host());
        }
    }

    @Test
    void anyOtherHostWithoutTokensIsRefusedNamingTheSetting() {
        for (String host : new String[] {"0.0.0.0", "::", "192.168.1.10", "qflow.example.org", "localhost.example.org", "127.example.org"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> RestSettings.from(Map.of("qflow.host", host)::get, "1"), host);
            assertTrue(refused.getMessage().contains("qflow.api.tokens"), refused.getMessage());
            assertTrue(refused.getMessage().contains(host), refused.getMessage());
        }
        RestSettings withTokens = RestSettings.from(Map.of("qflow.host", "0.0.0.0", "qflow.api.tokens", "viewer:v")::get, "1");
        assertEquals("0.0.0.0", withTokens.host());
    }

    @Test
    void tokensAreParsedWithTheirRoles() {
        ApiTokens tokens = ApiTokens.parse(" admin:a-token , editor:e:with:colons,viewer:v ");
        assertEquals(3, tokens.size());
        assertEquals(Role.ADMIN, tokens.roleOf("a-token"));
        assertEquals(Role.EDITOR, tokens.roleOf("e:with:colons"));
        assertEquals(Role.VIEWER, tokens.roleOf("v"));
        assertEquals(null, tokens.roleOf("a-toke"));
        assertEquals(null, tokens.roleOf(""));
        assertEquals(null, tokens.roleOf(null));
        assertFalse(tokens.toString().contains("a-token"), tokens.toString());
    }

    @Test
    void badTokenEntriesNameTheSettingButNeverTheToken() {
        for (String spec : new String[] {"root:topsecret", "topsecret", "admin:", "admin:topsecret,", "admin:topsecret,viewer:topsecret"}) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> RestSettings.from(Map.of("qflow.api.tokens", spec)::get, "1"), spec);
            assertTrue(bad.getMessage().contains("qflow.api.tokens"), bad.getMessage());
            assertFalse(bad.getMessage().contains("topsecret"), bad.getMessage());
        }
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

package io.qflow.python.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        DockerSettings settings = DockerSettings.from(key -> null);
        assertEquals("unix:///var/run/docker.sock", settings.host());
        assertEquals(Map.of("3.11", "qflow/python:3.11", "3.13", "qflow/python:3.13"), settings.images());
        assertEquals(1, settings.poolSize());
        assertEquals("65534:65534", settings.user());
    }

    @Test
    void readsEverySetting() {
        Map<String, String> props = Map.of(
                DockerSettings.HOST, "unix:///run/qflow-docker/docker.sock",
                DockerSettings.IMAGES, " 3.12 = acme/py:3.12 , 3.13=acme/py:3.13,",
                DockerSettings.POOL_SIZE, "3",
                DockerSettings.USER, "1000:1000");
        DockerSettings settings = DockerSettings.from(props::get);
        assertEquals("unix:///run/qflow-docker/docker.sock", settings.host());
        assertEquals(List.of("3.12", "3.13"), List.copyOf(DockerSettings.parseImages(props.get(DockerSettings.IMAGES)).keySet()));
        assertEquals("acme/py:3.12", settings.images().get("3.12"));
        assertEquals(3, settings.poolSize());
        assertEquals("1000:1000", settings.user());
    }

    @Test
    void badValuesSayWhichSettingAndWhy() {
        IllegalArgumentException images = assertThrows(IllegalArgumentException.class,
                () -> DockerSettings.from(Map.of(DockerSettings.IMAGES, "3.11")::get));
        assertTrue(images.getMessage().contains("qflow.python.docker.images: '3.11' is not version=image"), images.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                () -> DockerSettings.from(Map.of(DockerSettings.POOL_SIZE, "many")::get));
        assertTrue(pool.getMessage().contains("qflow.python.docker.pool must be a number"), pool.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DockerSettings.from(Map.of(DockerSettings.POOL_SIZE, "-1")::get));
    }
}

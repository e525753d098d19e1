package io.qflow.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path home;

    @Test
    void defaultsWithoutAConfFile() throws Exception {
        Settings settings = Settings.load(home, Map.of(), new Properties());
        assertEquals("127.0.0.1", settings.get(Settings.HOST));
        assertEquals(8080, settings.port());
        assertEquals(List.of("platform", "core", "triggers", "python"), settings.features());
        assertEquals(home.resolve("data").toString(), settings.get(Settings.DATA));
    }

    @Test
    void anEnvironmentVariableSetsTheCamelCaseKeyTheFileNames() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/qflow.properties"),
                "qflow.retention.maxAgeDays=30\n# a comment\n#qflow.webhook.maxBodyBytes=10485760\n");

        Settings settings = Settings.load(home, Map.of("QFLOW_RETENTION_MAXAGEDAYS", "7",
                "QFLOW_WEBHOOK_MAXBODYBYTES", "1024", "QFLOW_SOME_NEW_KEY", "x"), new Properties());

        assertEquals("7", settings.get("qflow.retention.maxAgeDays"));
        assertEquals("1024", settings.get("qflow.webhook.maxBodyBytes"));
        assertEquals(null, settings.get("qflow.webhook.maxbodybytes"));
        assertEquals("x", settings.get("qflow.some.new.key"), "a key the file does not name keeps the plain mapping");
    }

    @Test
    void environmentWinsOverTheFileAndSystemPropertiesOverBoth() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/qflow.properties"),
                "qflow.port=9000\nqflow.host=0.0.0.0\nqflow.db.url=\nqflow.features = platform , core,python\n");
        Properties system = new Properties();
        system.setProperty("qflow.host", "::1");
        system.setProperty("java.version", "ignored");

        Settings settings = Settings.load(home,
                Map.of("QFLOW_PORT", "18099", "QFLOW_DB_URL", "jdbc:postgresql://db/qflow", "PATH", "/bin"), system);

        assertEquals(18099, settings.port());
        assertEquals("::1", settings.get(Settings.HOST));
        assertEquals("jdbc:postgresql://db/qflow", settings.get("qflow.db.url"));
        assertEquals(List.of("platform", "core", "python"), settings.features());
        assertEquals(null, settings.get("java.version"));
    }

    @Test
    void relativePathsAreTakenFromHomeAbsoluteOnesKept(@TempDir Path elsewhere) throws Exception {
        Settings settings = Settings.load(home,
                Map.of("QFLOW_DATA", elsewhere.toString(), "QFLOW_PLUGINS", "../shared/plugins"), new Properties());
        assertEquals(elsewhere.toString(), settings.get(Settings.DATA));
        assertEquals(home.getParent().resolve("shared/plugins").toString(), settings.get(Settings.PLUGINS));
    }
}

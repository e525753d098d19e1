package io.qflow.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTest {

    @TempDir
    Path dist;

    @Test
    void readsBundlesWithDefaults() throws Exception {
        write("platform", """
                {"name": "platform", "bundles": [
                  {"groupId": "org.apache.felix", "artifactId": "org.apache.felix.scr", "version": "2.2.12"},
                  {"groupId": "org.apache.felix", "artifactId": "org.apache.felix.fileinstall", "version": "3.7.4",
                   "start": false, "startLevel": 2}]}""");

        Feature feature = Feature.read(dist.resolve("features"), "platform");

        BundleRef scr = feature.bundles().get(0);
        assertTrue(scr.start());
        assertEquals(1, scr.startLevel());
        assertEquals("org.apache.felix.scr-2.2.12.jar", scr.fileName());
        assertFalse(feature.bundles().get(1).start());
        assertEquals(2, feature.bundles().get(1).startLevel());
    }

    @Test
    void rejectsUnfilteredVersionsAndUnknownFeatures() throws Exception {
        write("core", """
                {"name": "core", "bundles": [{"groupId": "g", "artifactId": "a", "version": "${jackson.version}"}]}""");
        IOException unfiltered = assertThrows(IOException.class, () -> Feature.read(dist.resolve("features"), "core"));
        assertTrue(unfiltered.getMessage().contains("not filtered"), unfiltered.getMessage());

        IOException unknown = assertThrows(IOException.class, () -> Feature.read(dist.resolve("features"), "python"));
        assertTrue(unknown.getMessage().contains("known: [core]"), unknown.getMessage());
    }

    @Test
    void distributionCheckReportsMissingAndStrayBundles() throws Exception {
        write("core", """
                {"name": "core", "bundles": [
                  {"groupId": "io.qflow", "artifactId": "io.qflow.sdk", "version": "1"},
                  {"groupId": "io.qflow", "artifactId": "io.qflow.rest", "version": "1"}]}""");
        Files.createDirectories(dist.resolve("bundle"));
        Files.writeString(dist.resolve("bundle/stray-1.jar"), "");

        List<String> problems = DistributionCheck.check(dist);

        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("io.qflow.sdk-1.jar is missing"), problems.get(0));
        assertTrue(problems.get(1).contains("io.qflow.rest-1.jar is missing"), problems.get(1));
        assertTrue(problems.get(2).contains("stray-1.jar is in no feature"), problems.get(2));
    }

    private void write(String name, String json) throws IOException {
        Files.createDirectories(dist.resolve("features"));
        Files.writeString(dist.resolve("features").resolve(name + ".json"), json);
    }
}

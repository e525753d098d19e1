package io.qflow.engine.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformBundleGuardTest {

    @TempDir
    Path home;

    @Test
    void onlyJarsInThePluginsFolderArePlugins() {
        PlatformBundleGuard guard = new PlatformBundleGuard(home.resolve("plugins"));
        assertTrue(guard.isPlugin(home.resolve("plugins/acme.jar").toUri().toString()));
        assertFalse(guard.isPlugin(home.resolve("bundle/io.qflow.sdk.jar").toUri().toString()));
        assertFalse(guard.isPlugin(home.resolve("plugins/../bundle/io.qflow.sdk.jar").toUri().toString()));
        assertFalse(guard.isPlugin("System Bundle"));
        assertFalse(guard.isPlugin(null));
    }
}

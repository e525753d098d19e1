package io.qflow.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The bundles installed in the runtime, with their state and errors; admin actions on plugins. */
@ProviderType
public interface PluginInventory {

    /** Every bundle, plugins first. */
    List<PluginInfo> plugins();

    Optional<PluginInfo> plugin(long id);

    /**
     * Installs or replaces a plugin JAR by writing it into the plugins folder (hot deploy picks it up).
     *
     * @param fileName the JAR's file name (no path)
     * @throws IllegalArgumentException when the name or content is not a bundle JAR
     */
    String upload(String fileName, InputStream jar) throws IOException;

    /** Removes a hot-deployed plugin by deleting its JAR; platform bundles cannot be removed. */
    void remove(long id) throws NotFoundException, ConflictException, IOException;
}

package io.qflow.runtime;

import java.nio.file.Path;

/**
 * One bundle of a feature, named by its Maven coordinates; the distribution keeps it in
 * {@code bundle/<artifactId>-<version>.jar} (maven-dependency-plugin's naming).
 *
 * @param start      whether the launcher starts it (libraries without an activator may stay resolved only)
 * @param startLevel OSGi start level; bundles start in order of level, then feature order
 */
record BundleRef(String groupId, String artifactId, String version, boolean start, int startLevel) {

    static final int DEFAULT_START_LEVEL = 1;

    String fileName() {
        return artifactId + "-" + version + ".jar";
    }

    Path file(Path bundleDir) {
        return bundleDir.resolve(fileName());
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version;
    }
}

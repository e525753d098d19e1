package io.qflow.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Build-time check of the assembled distribution (run by runtime/pom.xml at {@code package}):
 * every bundle a feature names is in {@code bundle/} and is an OSGi bundle, and {@code bundle/}
 * holds nothing no feature names. Fails the build with every problem at once.
 *
 * <p>Argument: the distribution folder.
 */
public final class DistributionCheck {

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: DistributionCheck <distribution folder>");
        }
        Path dist = Path.of(args[0]);
        List<String> problems = check(dist);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The distribution in " + dist + " is incomplete:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    static List<String> check(Path dist) throws IOException {
        Path bundleDir = dist.resolve("bundle");
        Path featuresDir = dist.resolve("features");
        List<String> problems = new ArrayList<>();
        Set<String> named = new HashSet<>();
        List<String> features = Feature.names(featuresDir);
        if (features.isEmpty()) {
            problems.add("no feature descriptors in " + featuresDir);
        }
        for (String name : features) {
            Feature feature;
            try {
                feature = Feature.read(featuresDir, name);
            } catch (IOException e) {
                problems.add(e.getMessage());
                continue;
            }
            for (BundleRef bundle : feature.bundles()) {
                named.add(bundle.fileName());
                Path file = bundle.file(bundleDir);
                if (!Files.isRegularFile(file)) {
                    problems.add("feature '" + name + "' lists " + bundle + " but " + file
                            + " is missing: add it to features/pom.xml");
                } else if (!isBundle(file)) {
                    problems.add(file + " (feature '" + name + "') has no Bundle-SymbolicName: it is not an OSGi"
                            + " bundle; embed it in the bundle that uses it");
                }
            }
        }
        try (Stream<Path> files = Files.list(bundleDir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> !named.contains(f))
                    .sorted()
                    .forEach(f -> problems.add(bundleDir.resolve(f) + " is in no feature: list it in a"
                            + " features/src/main/features/*.json or drop it from features/pom.xml"));
        }
        return problems;
    }

    private static boolean isBundle(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null
                    && file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName") != null;
        }
    }
}

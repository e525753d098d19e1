package io.qflow.python.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds Python 3 interpreters on the host: the configured ones first, then pyenv's
 * ({@code ~/.pyenv/versions/x/bin/python3}), {@code /usr/bin/python3.x}, and {@code python3*} on the
 * PATH. Each candidate is asked for its version (and whether it has {@code venv}); the first one of
 * each {@code major.minor} wins; versions before 3.9 are left out (the worker needs {@code ast.unparse}).
 */
final class InterpreterDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(InterpreterDiscovery.class);
    /** The worker uses ast.unparse (3.9+). */
    static final int MIN_MINOR = 9;
    private static final Pattern NAME = Pattern.compile("python3(\\.\\d+)?");
    private static final String PROBE = "import sys, venv, ensurepip; print('%d.%d.%d' % sys.version_info[:3])";

    private InterpreterDiscovery() {
    }

    static List<Interpreter> discover(List<String> configured) {
        Set<Path> candidates = new LinkedHashSet<>();
        configured.forEach(p -> candidates.add(Path.of(p)));
        Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        String pyenvRoot = System.getenv("PYENV_ROOT");
        for (Path root : pyenvRoot == null ? List.of(pyenv) : List.of(Path.of(pyenvRoot, "versions"), pyenv)) {
            candidates.addAll(list(root).stream().map(v -> v.resolve("bin/python3")).toList());
        }
        candidates.addAll(list(Path.of("/usr/bin")).stream().filter(InterpreterDiscovery::pythonName).toList());
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.addAll(list(Path.of(dir)).stream().filter(InterpreterDiscovery::pythonName).toList());
            }
        }
        Map<String, Interpreter> byVersion = new LinkedHashMap<>();
        for (Path candidate : candidates) {
            if (!Files.isExecutable(candidate)) {
                continue;
            }
            String full = probe(candidate);
            if (full == null || !full.startsWith("3.")) {
                continue;
            }
            String version = full.substring(0, full.lastIndexOf('.'));
            if (minor(version) < MIN_MINOR) {
                LOG.debug("{} is Python {}: the worker needs 3.{} or newer (ast.unparse)", candidate, full, MIN_MINOR);
                continue;
            }
            byVersion.putIfAbsent(version, new Interpreter(version, full, candidate));
        }
        List<Interpreter> found = new ArrayList<>(byVersion.values());
        found.sort(Comparator.comparing((Interpreter i) -> minor(i.version())));
        return found;
    }

    private static boolean pythonName(Path p) {
        return NAME.matcher(p.getFileName().toString()).matches();
    }

    private static int minor(String version) {
        return Integer.parseInt(version.substring(version.indexOf('.') + 1));
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The interpreter's version when it runs and has venv; null otherwise (a broken or venv-less Python). */
    private static String probe(Path python) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-I", "-c", PROBE).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                LOG.debug("{} is not usable: {}", python, new String(out, StandardCharsets.UTF_8).trim());
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

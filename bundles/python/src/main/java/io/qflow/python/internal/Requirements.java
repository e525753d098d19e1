package io.qflow.python.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requirements of a Python environment: imports mapped to distributions (the table in
 * {@code import-distributions.properties}: PIL -> pillow, ...), requirements.txt lines, explicit
 * specifiers; merged by normalised distribution name (an explicit or requirements.txt specifier wins
 * over an inferred bare name) and sorted, so equal needs give equal environment keys.
 */
final class Requirements {

    // name, optional extras, the rest (version specifiers, markers)
    private static final Pattern SPEC = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(\\[[^\\]]*\\])?\\s*(.*)$");
    private final Map<String, String> importToDistribution;

    private Requirements(Map<String, String> table) {
        this.importToDistribution = table;
    }

    static Requirements load() {
        Properties p = new Properties();
        try (InputStream in = Requirements.class.getResourceAsStream("import-distributions.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> table = new TreeMap<>();
        p.forEach((k, v) -> table.put(k.toString(), v.toString().trim()));
        return new Requirements(table);
    }

    /** The distribution that provides a top-level import name. */
    String distributionFor(String importName) {
        return importToDistribution.getOrDefault(importName, importName);
    }

    /** Distributions for third-party imports, in order. */
    List<String> fromImports(List<String> imports) {
        return imports.stream().map(this::distributionFor).distinct().toList();
    }

    /**
     * What an environment installs: the explicit specifiers, plus a distribution for each third-party
     * import. An import the table knows always adds its distribution (PIL -> pillow); an import it does
     * not know adds the distribution of the same name only when nothing explicit is given: with a
     * requirements.txt or specifiers, they are taken to provide such imports (a package whose import
     * name differs from its distribution name, as most private packages do).
     *
     * @throws IllegalArgumentException for a specifier that is not one
     */
    List<String> forEnvironment(List<String> thirdPartyImports, List<String> explicit) {
        List<String> inferred = thirdPartyImports.stream()
                .filter(name -> explicit.isEmpty() || importToDistribution.containsKey(name))
                .map(this::distributionFor).distinct().toList();
        return merge(inferred, explicit);
    }

    /**
     * Parses requirements.txt text: one specifier a line, comments and blank lines ignored.
     *
     * @throws IllegalArgumentException naming the line of an option ({@code -r}, {@code -e}, ...) or a line that is not a specifier
     */
    static List<String> parseRequirementsTxt(String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf(" #");
            line = (line.startsWith("#") ? "" : hash >= 0 ? line.substring(0, hash) : line).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("-")) {
                throw new IllegalArgumentException("requirements.txt line " + (i + 1) + ": options such as '" + line
                        + "' are not supported; set qflow.python.indexUrl / findLinks instead");
            }
            out.add(normaliseSpec(line, "requirements.txt line " + (i + 1)));
        }
        return out;
    }

    /**
     * Merges inferred names with explicit specifiers into a sorted list, one entry per distribution.
     *
     * @throws IllegalArgumentException for a specifier that is not one
     */
    static List<String> merge(List<String> inferred, List<String> explicit) {
        Map<String, String> byName = new TreeMap<>();
        for (String name : inferred) {
            String spec = normaliseSpec(name, "import " + name);
            byName.putIfAbsent(key(spec), spec);
        }
        for (String spec : explicit) {
            String s = normaliseSpec(spec, "requirement '" + spec + "'");
            byName.put(key(s), s);
        }
        return List.copyOf(byName.values());
    }

    private static String key(String normalisedSpec) {
        Matcher m = SPEC.matcher(normalisedSpec);
        m.matches();
        return m.group(1);
    }

    /** PEP 503 name normalisation plus whitespace removal, so {@code Foo_Bar >= 1} equals {@code foo-bar>=1}. */
    static String normaliseSpec(String spec, String where) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches() || spec.contains("://") || spec.contains(" @ ")) {
            throw new IllegalArgumentException(where + ": '" + spec + "' is not a requirement specifier (name[extras] op version)");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
        String rest = m.group(3).replaceAll("\\s+", "");
        if (!rest.isEmpty() && !rest.matches("(;.*|[<>=!~,.*0-9A-Za-z+]+(;.*)?)")) {
            throw new IllegalArgumentException(where + ": '" + spec + "' has an invalid version part '" + m.group(3) + "'");
        }
        return name + (m.group(2) == null ? "" : m.group(2).replaceAll("\\s+", "").toLowerCase(Locale.ROOT)) + rest;
    }

    /** Environment key: the first 16 hex digits of SHA-256 over the version and the sorted requirements. */
    static String environmentKey(String version, List<String> requirements) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("python " + version + "\n").getBytes(StandardCharsets.UTF_8));
            for (String r : requirements) {
                sha.update((r + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return "py" + version.replace(".", "") + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

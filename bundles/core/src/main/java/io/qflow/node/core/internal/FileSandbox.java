package io.qflow.node.core.internal;

import io.qflow.sdk.NodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The folder the file nodes may touch. Workflow configs name files relative to it; anything that
 * would land outside (absolute paths, {@code ..}, symbolic links pointing out) is refused with
 * {@code file.forbidden}. The check runs on each call, right before the file is opened; a link
 * swapped in between check and open by someone with write access to the folder is not prevented.
 */
public final class FileSandbox {

    private final Path root;

    public FileSandbox(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The configured root, or {@code ${qflow.data}/files} (default {@code data/files}) when blank. */
    static FileSandbox fromConfig(String configuredRoot) {
        if (configuredRoot == null || configuredRoot.isBlank()) {
            return new FileSandbox(Path.of(System.getProperty("qflow.data", "data"), "files"));
        }
        return new FileSandbox(Path.of(configuredRoot.trim()));
    }

    public Path root() {
        return root;
    }

    /**
     * The absolute path of a file named relative to the root, after checking it stays inside.
     *
     * @throws NodeException {@code config.invalid} for an empty path, {@code file.forbidden} for one
     *                       that leaves the root
     */
    Path resolve(String relative) throws NodeException {
        if (relative == null || relative.isBlank()) {
            throw NodeException.permanent("config.invalid", "config 'path' is required");
        }
        Path given;
        try {
            given = Path.of(relative);
        } catch (InvalidPathException e) {
            throw forbidden(relative, "it is not a valid path (" + e.getReason() + ")");
        }
        if (given.isAbsolute() || given.getRoot() != null) {
            throw forbidden(relative, "absolute paths are not allowed; name files relative to the files folder");
        }
        Path target = root.resolve(given).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw forbidden(relative, "it points outside the files folder");
        }
        checkLinks(relative, target);
        return target;
    }

    /** The path as shown to users: relative to the root, with forward slashes. */
    String display(Path target) {
        return root.relativize(target).toString().replace('\\', '/');
    }

    /** The deepest part of the path that exists must really lie inside the root, links resolved. */
    private void checkLinks(String relative, Path target) throws NodeException {
        if (!Files.exists(root)) {
            return;
        }
        Path existing = target;
        while (!existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            Path realRoot = root.toRealPath();
            if (!existing.toRealPath().startsWith(realRoot)) {
                throw forbidden(relative, "a symbolic link leads outside the files folder");
            }
        } catch (IOException e) {
            // a dangling link: following it on write would create a file wherever it points
            throw forbidden(relative, "a symbolic link on the way cannot be resolved (" + e.getMessage() + ")");
        }
    }

    private static NodeException forbidden(String path, String why) {
        return NodeException.permanent("file.forbidden", "cannot use '" + path + "': " + why);
    }
}

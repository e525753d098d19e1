package io.qflow.python.spi;

import java.util.List;

/**
 * Where pip installs from (settings {@code qflow.python.indexUrl}, {@code qflow.python.findLinks},
 * {@code qflow.python.noIndex}). A backend passes them to pip as {@code --index-url},
 * {@code --find-links} (each; host folders are mounted read-only into containers) and
 * {@code --no-index}.
 *
 * @param indexUrl  the package index; {@code null} for pip's default
 * @param findLinks folders or URLs with wheels and sdists
 * @param noIndex   never contact an index (offline installs from {@code findLinks} only)
 */
public record PipOptions(String indexUrl, List<String> findLinks, boolean noIndex) {
    public PipOptions {
        findLinks = findLinks == null ? List.of() : List.copyOf(findLinks);
    }
}

package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional import allow/deny list ({@code qflow.python.allowImports}, {@code qflow.python.denyImports}),
 * checked on the static analysis before a node is saved, tested or run. A denied module (by its
 * top-level name) is refused wherever it is imported; with an allow list, third-party imports outside it are refused (the standard
 * library stays allowed unless denied). Imports made at run time ({@code __import__},
 * {@code importlib}) are not seen: deny {@code importlib} to close that door.
 */
final class ImportPolicy {

    private final List<String> allow;
    private final List<String> deny;

    ImportPolicy(List<String> allow, List<String> deny) {
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
    }

    /** Violations as {@code line N: import of 'x' is denied ...}, from an analysis's {@code imports}. */
    List<String> violations(JsonNode analysis) {
        List<String> out = new ArrayList<>();
        for (JsonNode imp : analysis.path("imports")) {
            String module = imp.path("module").asText();
            int line = imp.path("line").asInt();
            if (deny.contains(module)) {
                out.add("line " + line + ": import of '" + module + "' is denied by qflow.python.denyImports");
            } else if (!allow.isEmpty() && "third-party".equals(imp.path("kind").asText()) && !allow.contains(module)) {
                out.add("line " + line + ": import of '" + module + "' is not in qflow.python.allowImports (" + String.join(", ", allow) + ")");
            }
        }
        return out;
    }
}

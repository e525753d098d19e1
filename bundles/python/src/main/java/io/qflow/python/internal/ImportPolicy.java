package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional import allow/deny list ({@code qflow.python.allowImports}, {@code qflow.python.denyImports}),
 * checked on the static analysis before a node is saved, tested or run. A denied module (by its
 * top-level name) is refused wherever it is imported; with an allow list, third-party imports outside it are refused (the standard
 * library stays allowed unless denied). Imports the code makes at run time ({@code __import__},
 * {@code importlib.import_module}, exec'd source) are refused by the worker, which gets the policy
 * in a {@code configure} request when it starts (PROTOCOL.md).
 */
final class ImportPolicy {

    private final List<String> allow;
    private final List<String> deny;

    ImportPolicy(List<String> allow, List<String> deny) {
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
    }

    /** The worker's {@code configure} request for this policy, or null when there is no policy. */
    ObjectNode configureRequest() {
        if (allow.isEmpty() && deny.isEmpty()) {
            return null;
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("op", "configure");
        ObjectNode imports = request.putObject("imports");
        deny.forEach(imports.putArray("deny")::add);
        allow.forEach(imports.putArray("allow")::add);
        return request;
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

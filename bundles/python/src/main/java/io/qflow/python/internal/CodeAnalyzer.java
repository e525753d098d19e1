package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static analysis of Python code, done by the worker's {@code analyze} op in the target interpreter
 * ({@code ast}; the code is never run), completed here with the requirements its imports need and
 * the import policy's violations. Answers are cached by (backend, version, code hash): node types
 * ask for their ports often.
 */
final class CodeAnalyzer {

    private static final int CACHE_SIZE = 512;

    private final PythonRunner runner;
    private final Requirements requirements;
    private final ImportPolicy policy;
    private final ObjectMapper json;
    private final Map<String, ObjectNode> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    CodeAnalyzer(PythonRunner runner, Requirements requirements, ImportPolicy policy, ObjectMapper json) {
        this.runner = runner;
        this.requirements = requirements;
        this.policy = policy;
        this.json = json;
    }

    /** The analysis: functions, imports, thirdParty, requirements, violations, syntaxError when it does not parse. */
    ObjectNode analyze(String code, String backend, String version) throws CallFailure, InterruptedException {
        String resolvedVersion = runner.version(runner.backend(backend), version);
        String key = backend + "|" + resolvedVersion + "|" + PythonRunner.sha256(code);
        synchronized (cache) {
            ObjectNode hit = cache.get(key);
            if (hit != null) {
                return hit.deepCopy();
            }
        }
        ObjectNode request = json.createObjectNode();
        request.put("op", "analyze");
        request.put("code", code);
        ObjectNode analysis = (ObjectNode) runner.request(backend, resolvedVersion, request).path("analysis");
        List<String> thirdParty = new ArrayList<>();
        analysis.path("thirdParty").forEach(n -> thirdParty.add(n.asText()));
        ArrayNode reqs = analysis.putArray("requirements");
        requirements.fromImports(thirdParty).forEach(reqs::add);
        ArrayNode violations = analysis.putArray("violations");
        policy.violations(analysis).forEach(violations::add);
        synchronized (cache) {
            cache.put(key, analysis);
        }
        return analysis.deepCopy();
    }

    Requirements requirements() {
        return requirements;
    }

    /** The analysed function of that name, or null. */
    static JsonNode function(JsonNode analysis, String name) {
        for (JsonNode f : analysis.path("functions")) {
            if (name.equals(f.path("name").asText())) {
                return f;
            }
        }
        return null;
    }
}

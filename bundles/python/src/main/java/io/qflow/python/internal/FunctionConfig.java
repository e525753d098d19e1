package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.python.spi.Limits;
import io.qflow.sdk.DataType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python function as configured on a node, a saved node or a test request:
 * {@code code}, {@code function}, and optionally {@code python} (version), {@code backend},
 * {@code requirements} (specifiers), {@code requirementsTxt}, {@code types} (manual DataTypes by
 * parameter name, {@code "return"} for the result), {@code outputs} (named output ports with their
 * DataTypes, for a function returning a dict), {@code limits} ({@code timeoutSeconds},
 * {@code memoryMb}, {@code cpus}, {@code network}, {@code maxProcesses}). Values missing here come
 * from the workflow's {@code settings.python}, then from the runtime's defaults.
 */
record FunctionConfig(String code, String function, String python, String backend, List<String> requirements,
                      Map<String, DataType> types, Map<String, DataType> outputs, JsonNode limits) {

    /**
     * Reads and checks a config; every problem at once.
     *
     * @throws IllegalArgumentException whose message lists each problem with where it is
     */
    static FunctionConfig parse(JsonNode config, boolean functionRequired) {
        List<String> problems = new ArrayList<>();
        String code = text(config, "code", problems, true);
        String function = text(config, "function", problems, functionRequired);
        if (function != null && !function.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problems.add("function: '" + function + "' is not a Python identifier");
        }
        String python = text(config, "python", problems, false);
        if (python != null && !python.matches("\\d+\\.\\d+")) {
            problems.add("python: '" + python + "' is not a version such as 3.13");
        }
        String backend = text(config, "backend", problems, false);
        List<String> requirements = new ArrayList<>();
        JsonNode reqs = config.path("requirements");
        if (!reqs.isMissingNode() && !reqs.isNull()) {
            if (!reqs.isArray()) {
                problems.add("requirements: must be an array of specifiers such as \"pyyaml>=6\"");
            } else {
                for (int i = 0; i < reqs.size(); i++) {
                    try {
                        requirements.add(Requirements.normaliseSpec(reqs.get(i).asText(), "requirements[" + i + "]"));
                    } catch (IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    }
                }
            }
        }
        String txt = text(config, "requirementsTxt", problems, false);
        if (txt != null) {
            try {
                requirements.addAll(Requirements.parseRequirementsTxt(txt));
            } catch (IllegalArgumentException e) {
                problems.add("requirementsTxt: " + e.getMessage());
            }
        }
        Map<String, DataType> types = typeMap(config.path("types"), "types", problems);
        Map<String, DataType> outputs = typeMap(config.path("outputs"), "outputs", problems);
        for (String port : outputs.keySet()) {
            if (!port.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                problems.add("outputs." + port + ": not a valid port name");
            }
        }
        JsonNode limits = config.path("limits");
        if (!limits.isMissingNode() && !limits.isNull()) {
            try {
                limits(limits, Limits.DEFAULT);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new FunctionConfig(code, function, python, backend, requirements, types, outputs, limits);
    }

    private static String text(JsonNode config, String field, List<String> problems, boolean required) {
        JsonNode v = config.path(field);
        if (v.isMissingNode() || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                problems.add(field + ": required");
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + ": must be a string, not " + v.getNodeType().name().toLowerCase());
            return null;
        }
        return v.asText();
    }

    private static Map<String, DataType> typeMap(JsonNode node, String field, List<String> problems) {
        Map<String, DataType> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problems.add(field + ": must be an object of name -> DataType");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                out.put(e.getKey(), DataType.parse(e.getValue().asText()));
            } catch (IllegalArgumentException ex) {
                problems.add(field + "." + e.getKey() + ": " + ex.getMessage());
            }
        }
        return out;
    }

    /**
     * Limits from a {@code limits} object over defaults.
     *
     * @throws IllegalArgumentException naming the bad field
     */
    static Limits limits(JsonNode limits, Limits defaults) {
        if (limits == null || limits.isMissingNode() || limits.isNull()) {
            return defaults;
        }
        if (!limits.isObject()) {
            throw new IllegalArgumentException("limits: must be an object");
        }
        Duration timeout = defaults.timeout();
        long memory = defaults.memoryBytes();
        double cpus = defaults.cpus();
        boolean network = defaults.network();
        int processes = defaults.maxProcesses();
        if (limits.has("timeoutSeconds")) {
            timeout = Duration.ofMillis(Math.round(positive(limits, "timeoutSeconds") * 1000));
        }
        if (limits.has("memoryMb")) {
            memory = (long) (positive(limits, "memoryMb") * 1024 * 1024);
        }
        if (limits.has("cpus")) {
            cpus = positive(limits, "cpus");
        }
        if (limits.has("maxProcesses")) {
            processes = (int) positive(limits, "maxProcesses");
        }
        if (limits.has("network")) {
            if (!limits.get("network").isBoolean()) {
                throw new IllegalArgumentException("limits.network: must be true or false");
            }
            network = limits.get("network").asBoolean();
        }
        return new Limits(timeout, memory, cpus, network, processes);
    }

    private static double positive(JsonNode limits, String field) {
        JsonNode v = limits.get(field);
        if (!v.isNumber() || v.asDouble() <= 0) {
            throw new IllegalArgumentException("limits." + field + ": must be a positive number, not " + v);
        }
        return v.asDouble();
    }
}

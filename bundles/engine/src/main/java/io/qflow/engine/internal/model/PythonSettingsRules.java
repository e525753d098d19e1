package io.qflow.engine.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.engine.Problem;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shape of a workflow's {@code settings.python} (version, backend, environment, requirements,
 * limits), checked when the workflow is saved. The Python adapter reads these at run time; without
 * this check a typo ("verison", "3.1l", a requirement given as one string) surfaced only when a
 * Python node first ran, or not at all. Whether the version is installed or the backend deployed is
 * for the adapter to say at run time: both can change after the workflow is saved.
 */
final class PythonSettingsRules {

    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,2}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
    private static final List<String> FIELDS = List.of("version", "backend", "environment", "requirements", "limits");
    /** Limit name to whether it must be a whole number; network is the boolean one. */
    private static final Map<String, Boolean> NUMERIC_LIMITS = Map.of("timeoutSeconds", false, "memoryMb", true, "cpus", false,
            "maxProcesses", true);

    private PythonSettingsRules() {
    }

    static void check(JsonNode python, List<Problem> problems) {
        String at = "/settings/python";
        if (!python.isObject()) {
            problems.add(problem("settings.python must be an object such as {\"version\": \"3.13\"}, not " + python, at));
            return;
        }
        python.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                problems.add(problem("settings.python has no field '" + field + "' (known: " + String.join(", ", FIELDS) + ")",
                        at + "/" + field));
            }
        });
        text(python, "version", VERSION, "a Python version such as \"3.13\"", problems);
        text(python, "backend", NAME, "a backend name such as \"process\" or \"docker\"", problems);
        text(python, "environment", NAME, "an environment name", problems);
        JsonNode requirements = python.get("requirements");
        if (requirements != null && !requirements.isNull()) {
            if (!requirements.isArray()) {
                problems.add(problem("settings.python.requirements must be an array of specifiers such as [\"pyyaml>=6\"], not "
                        + requirements, at + "/requirements"));
            } else {
                for (int i = 0; i < requirements.size(); i++) {
                    JsonNode r = requirements.get(i);
                    if (!r.isTextual() || r.textValue().isBlank()) {
                        problems.add(problem("settings.python.requirements[" + i + "] must be a specifier such as \"pyyaml>=6\", not " + r,
                                at + "/requirements/" + i));
                    }
                }
            }
        }
        JsonNode limits = python.get("limits");
        if (limits != null && !limits.isNull()) {
            checkLimits(limits, problems);
        }
    }

    private static void checkLimits(JsonNode limits, List<Problem> problems) {
        String at = "/settings/python/limits";
        if (!limits.isObject()) {
            problems.add(problem("settings.python.limits must be an object, not " + limits, at));
            return;
        }
        limits.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (name.equals("network")) {
                if (!value.isBoolean()) {
                    problems.add(problem("settings.python.limits.network must be true or false, not " + value, at + "/network"));
                }
                return;
            }
            Boolean whole = NUMERIC_LIMITS.get(name);
            if (whole == null) {
                problems.add(problem("settings.python.limits has no limit '" + name
                        + "' (known: timeoutSeconds, memoryMb, cpus, network, maxProcesses)", at + "/" + name));
            } else if (!value.isNumber() || value.doubleValue() <= 0 || (whole && !value.canConvertToExactIntegral())) {
                problems.add(problem("settings.python.limits." + name + " must be a positive " + (whole ? "whole number" : "number")
                        + ", not " + value, at + "/" + name));
            }
        });
    }

    private static void text(JsonNode python, String field, Pattern pattern, String what, List<Problem> problems) {
        JsonNode value = python.get(field);
        if (value != null && !value.isNull() && !(value.isTextual() && pattern.matcher(value.textValue()).matches())) {
            problems.add(problem("settings.python." + field + " must be " + what + ", not " + value, "/settings/python/" + field));
        }
    }

    private static Problem problem(String message, String pointer) {
        return new Problem("settings.python", message, null, null, pointer);
    }
}

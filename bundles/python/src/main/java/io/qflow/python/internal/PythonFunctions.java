package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qflow.python.spi.Limits;
import io.qflow.sdk.BlobRef;
import io.qflow.sdk.DataType;
import io.qflow.sdk.NodePorts;
import io.qflow.sdk.PortSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A configured Python function turned into ports and calls: the analysis gives the signature,
 * manual types and declared outputs override it, the environment comes from the function's config,
 * then the workflow's {@code settings.python}, then the defaults. Shared by {@code python.function},
 * saved {@code python.user.*} nodes and the test API.
 */
final class PythonFunctions {

    static final String RESULT = "result";

    private final PythonRunner runner;
    private final CodeAnalyzer analyzer;
    private final Limits defaultLimits;

    PythonFunctions(PythonRunner runner, CodeAnalyzer analyzer, Limits defaultLimits) {
        this.runner = runner;
        this.analyzer = analyzer;
        this.defaultLimits = defaultLimits;
    }

    /** A function ready to call: its analysis, ports, environment and limits. */
    record Prepared(FunctionConfig config, JsonNode function, NodePorts ports, EnvironmentChoice environment, Limits limits) {
    }

    /**
     * Analyses and checks a function: it parses, exists, obeys the import policy.
     *
     * @param workflowPython the workflow's {@code settings.python} (may be missing)
     * @throws CallFailure {@code python.syntax}, {@code python.no_function}, {@code python.policy},
     *                     {@code config.invalid}, or an environment failure
     */
    Prepared prepare(FunctionConfig config, JsonNode workflowPython) throws CallFailure, InterruptedException {
        String backend = firstText(config.backend(), workflowPython.path("backend"));
        String version = firstText(config.python(), workflowPython.path("version"));
        JsonNode analysis = analyzer.analyze(config.code(), backend == null ? ProcessBackend.NAME : backend, version);
        JsonNode syntax = analysis.path("syntaxError");
        if (!syntax.isMissingNode()) {
            throw new CallFailure("python.syntax", "SyntaxError", "the code does not parse: " + syntax.path("message").asText()
                    + " at line " + syntax.path("line").asInt() + ", column " + syntax.path("column").asInt(), null,
                    syntax.path("line").asInt(), null, null, false);
        }
        if (!analysis.path("violations").isEmpty()) {
            List<String> v = new ArrayList<>();
            analysis.path("violations").forEach(n -> v.add(n.asText()));
            throw CallFailure.of("python.policy", "the import policy refuses the code: " + String.join("; ", v));
        }
        JsonNode function = CodeAnalyzer.function(analysis, config.function());
        if (function == null) {
            List<String> names = new ArrayList<>();
            analysis.path("functions").forEach(f -> names.add(f.path("name").asText()));
            throw CallFailure.of("python.no_function", "the code has no top-level function '" + config.function() + "' (it has: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
        }
        List<String> explicit = new ArrayList<>(config.requirements());
        workflowPython.path("requirements").forEach(r -> explicit.add(r.asText()));
        List<String> imports = new ArrayList<>();
        analysis.path("thirdParty").forEach(r -> imports.add(r.asText()));
        List<String> requirements;
        try {
            requirements = analyzer.requirements().forEnvironment(imports, explicit);
        } catch (IllegalArgumentException e) {
            throw CallFailure.of("config.invalid", e.getMessage());
        }
        Limits limits;
        try {
            limits = FunctionConfig.limits(config.limits(), FunctionConfig.limits(workflowPython.path("limits"), defaultLimits));
        } catch (IllegalArgumentException e) {
            throw CallFailure.of("config.invalid", e.getMessage());
        }
        return new Prepared(config, function, ports(config, function), new EnvironmentChoice(backend, version, requirements), limits);
    }

    /** Input port per parameter (manual types win), output {@code result} or the declared outputs. */
    static NodePorts ports(FunctionConfig config, JsonNode function) {
        List<PortSpec> inputs = new ArrayList<>();
        for (JsonNode p : function.path("parameters")) {
            String kind = p.path("kind").asText();
            if (kind.startsWith("var_")) {
                continue;
            }
            String name = p.path("name").asText();
            DataType type = config.types().getOrDefault(name, parse(p.path("type").asText("any")));
            String doc = p.path("annotation").isTextual() ? "Parameter " + name + ": " + p.path("annotation").asText() : "Parameter " + name;
            if (p.has("default")) {
                doc += " = " + p.path("default").asText();
            }
            inputs.add(new PortSpec(name, type, doc, p.path("required").asBoolean()));
        }
        List<PortSpec> outputs = new ArrayList<>();
        if (config.outputs().isEmpty()) {
            DataType result = config.types().getOrDefault("return", parse(function.path("returnType").asText("any")));
            outputs.add(PortSpec.of(RESULT, result, "What " + function.path("name").asText() + "() returns"));
        } else {
            config.outputs().forEach((name, type) -> outputs.add(PortSpec.of(name, type, "Key '" + name + "' of the returned dict")));
        }
        return new NodePorts(inputs, outputs);
    }

    private static DataType parse(String type) {
        try {
            return DataType.parse(type);
        } catch (IllegalArgumentException e) {
            return DataType.ANY; // an inferred type the SDK cannot express: fall back as for a missing annotation
        }
    }

    /**
     * Checks inputs against the input ports: required ones present, each of its declared type.
     *
     * @throws CallFailure {@code python.inputs} listing every mismatch
     */
    static Map<String, JsonNode> checkInputs(NodePorts ports, Map<String, JsonNode> given) throws CallFailure {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> args = new LinkedHashMap<>();
        for (PortSpec port : ports.inputs()) {
            JsonNode value = given.get(port.name());
            if (value == null || value.isMissingNode()) {
                if (port.required()) {
                    problems.add("input '" + port.name() + "' (" + port.type() + ") is required but missing");
                }
                continue;
            }
            if (!matches(port.type(), value)) {
                problems.add("input '" + port.name() + "' must be " + port.type() + ", got " + describe(value));
            }
            args.put(port.name(), value);
        }
        for (String name : given.keySet()) {
            if (ports.input(name).isEmpty()) {
                problems.add("input '" + name + "' is not a parameter of the function (parameters: "
                        + String.join(", ", ports.inputs().stream().map(PortSpec::name).toList()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw CallFailure.of("python.inputs", String.join("; ", problems));
        }
        return args;
    }

    /**
     * Whether a JSON value fits a DataType. python: types accept anything (Python converts or fails
     * itself), and a pickled Python object fits any type: the JVM cannot look inside it (a set
     * annotated {@code set[int]} travels pickled although its DataType is an array).
     */
    static boolean matches(DataType type, JsonNode value) {
        if (value.isObject() && value.has("$python")) {
            return true;
        }
        if (value.isNull()) {
            return type.isNullable() || type.kind() == DataType.Kind.ANY || type.kind() == DataType.Kind.PYTHON;
        }
        return switch (type.kind()) {
            case ANY, PYTHON -> true;
            case STRING -> value.isTextual();
            case INTEGER -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case NUMBER -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
            case BINARY -> BlobRef.isRef(value) || value.has("$bytes");
            case OBJECT -> value.isObject() && type.properties().entrySet().stream()
                    .allMatch(p -> value.has(p.getKey()) ? matches(p.getValue(), value.get(p.getKey())) : p.getValue().isNullable());
            case ARRAY -> value.isArray() && allMatch(type.element(), value);
        };
    }

    private static boolean allMatch(DataType element, JsonNode array) {
        for (JsonNode v : array) {
            if (!matches(element, v)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonNode value) {
        String kind = value.has("$python") ? "python:" + value.get("$python").asText() : value.getNodeType().name().toLowerCase();
        String text = value.toString();
        return kind + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
    }

    /** Calls a prepared function with checked arguments. */
    PythonRunner.Result call(Prepared prepared, Map<String, JsonNode> args, String executionId, io.qflow.sdk.BlobStore blobs,
                             Consumer<String> log, BooleanSupplier cancelled) throws CallFailure, InterruptedException {
        List<String> outputs = new ArrayList<>(prepared.config().outputs().keySet());
        Invocation invocation = new Invocation(prepared.config().code(), prepared.config().function(), args, outputs,
                prepared.environment(), prepared.limits(), executionId);
        return runner.call(invocation, blobs, log, cancelled);
    }

    /** The values by output port of a call's result. */
    static Map<String, JsonNode> outputs(Prepared prepared, JsonNode result) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (prepared.config().outputs().isEmpty()) {
            out.put(RESULT, result);
        } else {
            prepared.config().outputs().keySet().forEach(k -> out.put(k, result.has(k) ? result.get(k) : JsonNodeFactory.instance.nullNode()));
        }
        return out;
    }

    private static String firstText(String first, JsonNode second) {
        if (first != null) {
            return first;
        }
        return second.isTextual() && !second.asText().isBlank() ? second.asText() : null;
    }

    PythonRunner runner() {
        return runner;
    }
}

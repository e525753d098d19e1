package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.python.spi.Limits;
import java.util.List;
import java.util.Map;

/**
 * One call of a Python function.
 *
 * @param code         the module's source
 * @param function     top-level function to call
 * @param args         argument values by parameter name (engine values: JSON, blob refs, python wrappers)
 * @param outputs      declared named outputs, or empty for the single {@code result}
 * @param environment  where to run it
 * @param limits       resource limits
 * @param executionId  the workflow execution, or null outside one
 */
record Invocation(String code, String function, Map<String, JsonNode> args, List<String> outputs, EnvironmentChoice environment,
                  Limits limits, String executionId) {
}

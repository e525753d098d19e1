package io.qflow.python;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The Python adapter as a service. Requests and answers are JSON documents whose shapes are those
 * of the REST API under {@code /api/v1/python} (root README, "Python nodes"; openapi.json), so the
 * REST front passes them through.
 *
 * <p>Threading: thread-safe; every method may block (it runs Python), callers use virtual threads.
 */
@ProviderType
public interface PythonService {

    /**
     * Analyses code with the target interpreter's {@code ast}: functions with parameters, types,
     * docstrings, imports, derived requirements, policy violations. Code that does not parse is an
     * answer with {@code syntaxError} (line, column), not an exception.
     *
     * @param request {@code {"code": "...", "python": "3.13"?}}
     */
    JsonNode analyze(JsonNode request) throws PythonException;

    /**
     * Runs a function once with sample inputs in a worker:
     * {@code {"code", "function", "inputs": {...}, "expected"?, "python"?, "requirements"?, "outputs"?, "limits"?}}
     * answers {@code {"passed", "outputs", "result", "stdout", "stderr", "durationMs", "error"?}}.
     */
    JsonNode test(JsonNode request) throws PythonException;

    /**
     * Saves a function as node type {@code python.user.<name>} (a new version each save), stores it
     * and registers it at once. Answers the saved node document with its {@code type} and {@code version}.
     */
    JsonNode saveNode(JsonNode request) throws PythonException;

    /** Every saved node (latest version of each), ordered by name. */
    List<JsonNode> nodes();

    /** One saved node by name (without the {@code python.user.} prefix). */
    Optional<JsonNode> node(String name);

    /** Deletes a saved node and unregisters its type; {@code false} when there was none. */
    boolean deleteNode(String name);

    /** Interpreters found on the host: {@code [{"version": "3.13", "full": "3.13.0", "path": ...}]}, plus backends. */
    JsonNode interpreters();

    /** Environments built so far (key, version, requirements, backend, state). */
    JsonNode environments();

    /**
     * Builds (or finds) an environment for {@code {"python"?, "backend"?, "requirements"?: [...],
     * "requirementsTxt"?: "...", "code"?: "..."}}: requirements from the code's imports and from
     * requirements.txt, merged. pip's output goes to {@code progress} line by line as it comes.
     *
     * @throws PythonException {@code python.install_failed} (UNPROCESSABLE) with pip's output as detail
     */
    JsonNode prepareEnvironment(JsonNode request, Consumer<String> progress) throws PythonException;

    /** Live worker counts by pool ({@code backend/environment-key}), for metrics. */
    Map<String, Integer> workerPools();
}

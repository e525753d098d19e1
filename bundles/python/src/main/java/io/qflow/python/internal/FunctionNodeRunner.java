package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.python.spi.BackendStatus;
import io.qflow.sdk.BlobStore;
import io.qflow.sdk.NodeContext;
import io.qflow.sdk.NodeException;
import io.qflow.sdk.NodeResult;
import java.util.Map;

/**
 * One node run of a Python function: prepare (analysis, policy, environment), check inputs, call in
 * a warm worker, put the function's prints in the node's log, emit {@code result} or the declared
 * outputs. Every failure becomes a {@link NodeException} whose message says what went wrong and
 * where, with the Python traceback; failures of the worker itself (timeout, crash) are retryable.
 */
final class FunctionNodeRunner {

    private final PythonFunctions functions;
    private final WorkflowPythonSettings workflowSettings;

    FunctionNodeRunner(PythonFunctions functions, WorkflowPythonSettings workflowSettings) {
        this.functions = functions;
        this.workflowSettings = workflowSettings;
    }

    NodeResult run(NodeContext context, FunctionConfig config) throws NodeException, InterruptedException {
        try {
            PythonFunctions.Prepared prepared = functions.prepare(config, workflowSettings.of(context));
            functions.runner().backend(prepared.environment().backend()).status().enforced().forEach((limit, how) -> {
                if (how.startsWith(BackendStatus.NOT_ENFORCED)) {
                    context.log().warn("limit '" + limit + "' is " + how);
                }
            });
            Map<String, JsonNode> args = PythonFunctions.checkInputs(prepared.ports(), context.inputs());
            BlobStore blobs = blobs(context);
            PythonRunner.Result result = functions.call(prepared, args, context.executionId(), blobs,
                    line -> context.log().info(line), context::isCancelled);
            logOutput(context, result.stdout(), result.stderr());
            context.log().debug(String.format(java.util.Locale.ROOT, "%s() took %.3f ms in Python", config.function(), result.durationMs()));
            return NodeResult.of(PythonFunctions.outputs(prepared, result.result()));
        } catch (CallFailure f) {
            logOutput(context, f.stdout(), f.stderr());
            if (f.traceback() != null) {
                context.log().error(f.traceback().strip());
            }
            if ("python.cancelled".equals(f.code())) {
                throw new java.util.concurrent.CancellationException(f.getMessage());
            }
            String message = f.getMessage() + (f.line() != null && !f.getMessage().contains("line ") ? " (line " + f.line() + ")" : "")
                    + (f.traceback() != null ? "\n" + f.traceback().strip() : "");
            throw new NodeException(f.code(), message, f.workerFault() && !"python.memory".equals(f.code()), null);
        }
    }

    private static void logOutput(NodeContext context, String stdout, String stderr) {
        stdout.lines().forEach(l -> context.log().info(l));
        stderr.lines().forEach(l -> context.log().warn(l));
    }

    private static BlobStore blobs(NodeContext context) {
        try {
            return context.blobs();
        } catch (UnsupportedOperationException e) {
            return null; // bytes then travel inline as {"$bytes": ...}
        }
    }
}

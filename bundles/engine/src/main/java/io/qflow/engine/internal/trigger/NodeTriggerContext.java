package io.qflow.engine.internal.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.NodeLogger;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggeredRun;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What one started trigger node sees; bound to the generation it was started in. */
final class NodeTriggerContext implements TriggerContext {

    private static final Logger LOG = Logger.getLogger(NodeTriggerContext.class.getName());

    private final Activations activations;
    private final TriggerNodeRun run;
    private final long generation;
    private final NodeLogger log;
    /** The node's config with its secret references resolved: handed to the trigger type, never logged or stored. */
    private final JsonNode config;

    NodeTriggerContext(Activations activations, TriggerNodeRun run, long generation, JsonNode config) {
        this.activations = activations;
        this.run = run;
        this.generation = generation;
        this.config = config;
        String prefix = "trigger " + run.workflowId + "/" + run.nodeId + ": ";
        this.log = new NodeLogger() {
            @Override
            public void debug(String message) {
                LOG.fine(prefix + message);
            }

            @Override
            public void info(String message) {
                LOG.info(prefix + message);
            }

            @Override
            public void warn(String message) {
                LOG.warning(prefix + message);
                run.error(message);
            }

            @Override
            public void error(String message) {
                LOG.log(Level.WARNING, prefix + message);
                run.error(message);
            }
        };
    }

    @Override
    public String workflowId() {
        return run.workflowId;
    }

    @Override
    public String nodeId() {
        return run.nodeId;
    }

    @Override
    public JsonNode config() {
        return config;
    }

    @Override
    public NodeLogger log() {
        return log;
    }

    @Override
    public TriggeredRun fire(Map<String, JsonNode> outputs) {
        return activations.fire(run, generation, outputs);
    }

    @Override
    public JsonNode run(Map<String, JsonNode> outputs, java.time.Duration timeout) throws InterruptedException {
        return activations.run(run, generation, outputs, timeout);
    }

    @Override
    public void failed(Throwable error) {
        activations.failed(run, generation, error);
    }

    @Override
    public Optional<JsonNode> loadState() {
        return activations.loadState(run);
    }

    @Override
    public void saveState(JsonNode state) {
        activations.saveState(run, state);
    }

    @Override
    public boolean test() {
        return run.test;
    }
}

package io.qflow.sdk.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** An execution started by a trigger. */
@ProviderType
public interface TriggeredRun {

    /** The new execution's id. */
    String executionId();

    /**
     * Completes when the execution reaches a final status, with its JSON representation
     * (at least {@code status}, {@code outputs} and {@code error}).
     */
    CompletionStage<JsonNode> completion();
}

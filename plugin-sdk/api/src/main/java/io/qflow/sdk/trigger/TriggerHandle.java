package io.qflow.sdk.trigger;

import org.osgi.annotation.versioning.ConsumerType;

/** A running trigger. {@link #close()} stops it; it must be idempotent and must not throw. */
@ConsumerType
public interface TriggerHandle extends AutoCloseable {

    @Override
    void close();

    /**
     * What the workflow's trigger status shows about this trigger now (a schedule's
     * {@code nextFireTimes}), or null. Called from any thread; must not block.
     *
     * @since 1.1
     */
    default com.fasterxml.jackson.databind.JsonNode details() {
        return null;
    }
}

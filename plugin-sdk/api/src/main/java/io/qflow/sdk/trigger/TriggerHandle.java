package io.qflow.sdk.trigger;

import org.osgi.annotation.versioning.ConsumerType;

/** A running trigger. {@link #close()} stops it; it must be idempotent and must not throw. */
@ConsumerType
public interface TriggerHandle extends AutoCloseable {

    @Override
    void close();
}

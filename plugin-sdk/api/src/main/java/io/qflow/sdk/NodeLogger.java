package io.qflow.sdk;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Log lines of one node run. They land in the execution record (and the live event stream), not in
 * the platform log. Thread-safe.
 */
@ProviderType
public interface NodeLogger {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);
}

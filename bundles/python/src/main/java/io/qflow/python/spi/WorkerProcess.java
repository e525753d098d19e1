package io.qflow.python.spi;

import java.io.InputStream;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One running worker as the adapter sees it: the two ends of the framed protocol plus a way to kill
 * it. The adapter writes request frames to {@link #stdin()} and reads reply frames from
 * {@link #stdout()} from one thread at a time; it calls {@link #kill()} on a timeout, a
 * cancellation, a protocol error, or when it retires the worker.
 */
@ConsumerType
public interface WorkerProcess {

    /** The worker's stdin: the adapter writes request frames here. */
    OutputStream stdin();

    /** The worker's stdout: reply frames. Nothing else may be written to it (the worker redirects user prints). */
    InputStream stdout();

    /**
     * The worker's own stderr as text lines, for diagnostics when it dies (interpreter crash,
     * import error before the protocol starts). The adapter drains it; may be an empty stream.
     */
    InputStream stderr();

    /** Whether the worker still runs. */
    boolean isAlive();

    /**
     * Kills the worker and everything it started (children, a fork bomb), at once and for sure:
     * SIGKILL to its process group or namespace, or removing its container's process. Idempotent;
     * must not block for long.
     */
    void kill();

    /** A short description for logs: backend, pid or container id, interpreter. */
    String describe();
}

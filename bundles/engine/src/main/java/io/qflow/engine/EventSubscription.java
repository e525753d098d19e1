package io.qflow.engine;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A subscriber's view of a stream of {@link ExecutionEvent}s, from {@link ExecutionMonitor}.
 * Events wait in a bounded buffer of this subscription only: the engine never waits for a
 * subscriber. When the buffer is full, further events are left out and counted, and the subscriber
 * gets one {@link ExecutionEvent.Type#DROPPED} event with the count where they are missing.
 * Meant for one consuming thread; {@link #close()} may be called from any thread.
 *
 * @since 1.3
 */
@ProviderType
public interface EventSubscription extends AutoCloseable {

    /**
     * The next event, waiting at most {@code timeout} for one (blocks the calling thread).
     *
     * @return the event, or null when none came in time or the stream has {@link #ended()}
     */
    ExecutionEvent next(Duration timeout) throws InterruptedException;

    /**
     * The next event, waiting for one as long as it takes: for a consumer that follows a stream for
     * as long as the stream lasts. Unlike a long {@link #next(Duration)}, the wait arms no timer, which
     * a virtual thread would schedule and cancel on the JDK's delay scheduler at every event.
     *
     * @return the event, or null once the stream has {@link #ended()} (or was closed while waiting)
     * @since 1.5
     */
    default ExecutionEvent next() throws InterruptedException {
        ExecutionEvent event;
        do {
            event = next(Duration.ofHours(1));
        } while (event == null && !ended());
        return event;
    }

    /**
     * True once nothing more will come and every event was taken: the execution of a one-execution
     * stream finished, or the subscription was closed.
     */
    boolean ended();

    /** Stops the stream and frees its buffer; idempotent. */
    @Override
    void close();
}

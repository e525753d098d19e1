package io.qflow.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.qflow.engine.NodeCatalog;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /node-types/events}: a Server-Sent Events stream with one {@code changed} event
 * whenever node or trigger types are added, replaced or removed (a plugin deployed, updated or
 * removed), so the editor's palette follows the catalogue without polling. Changes that come while
 * an event is being written are merged into the next one. Never ends by itself.
 */
final class NodeTypeEvents {

    static final String PATH = RestApi.BASE + "/node-types/events";
    private static final Logger LOG = LoggerFactory.getLogger(NodeTypeEvents.class);

    private final NodeCatalog catalog;
    private final ObjectMapper mapper;

    NodeTypeEvents(NodeCatalog catalog, ObjectMapper mapper) {
        this.catalog = catalog;
        this.mapper = mapper;
    }

    /** Streams on the request's (virtual) thread until the client goes away or the server stops. */
    void stream(Context ctx) throws Exception {
        Pending pending = new Pending();
        try (AutoCloseable listening = catalog.onChange(pending)) {
            SseStream stream = SseStream.open(ctx, "qflow node types");
            while (true) {
                List<String> types = pending.await(EventStreamRoutes.KEEP_ALIVE);
                if (types.isEmpty()) {
                    stream.keepAlive();
                } else {
                    stream.event("changed", null, mapper.writeValueAsString(Map.of("types", types)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server stops
        } catch (IOException gone) {
            LOG.debug("node type stream client went away: {}", gone.toString());
        }
    }

    /** The type ids changed since the stream last wrote: the catalogue's listener adds, the stream takes them all. */
    private static final class Pending implements Consumer<String> {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Set<String> types = new LinkedHashSet<>();

        @Override
        public void accept(String type) {
            lock.lock();
            try {
                types.add(type);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The changed types, waiting up to {@code timeout} for one; empty when none came. */
        List<String> await(Duration timeout) throws InterruptedException {
            lock.lock();
            try {
                long left = timeout.toNanos();
                while (types.isEmpty() && left > 0) {
                    left = changed.awaitNanos(left);
                }
                List<String> taken = List.copyOf(types);
                types.clear();
                return taken;
            } finally {
                lock.unlock();
            }
        }
    }
}

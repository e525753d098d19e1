package io.qflow.rest.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.qflow.engine.EventSubscription;
import io.qflow.engine.ExecutionEvent;
import io.qflow.engine.ExecutionMonitor;
import io.qflow.engine.NotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live execution events over Server-Sent Events and WebSocket: one execution
 * ({@code /executions/{id}/events}, {@code /executions/{id}/ws}) or all of them ({@code /events},
 * {@code /ws}, optionally {@code ?workflowId=}). Each stream has its own bounded buffer in the
 * engine ({@link ExecutionMonitor}); this side drains it on the request's virtual thread, so a slow
 * client only ever waits on itself.
 */
final class EventStreamRoutes {

    static final String EXECUTION_EVENTS = RestApi.BASE + "/executions/{id}/events";
    static final String ALL_EVENTS = RestApi.BASE + "/events";
    static final String EXECUTION_SOCKET = RestApi.BASE + "/executions/{id}/ws";
    static final String ALL_SOCKET = RestApi.BASE + "/ws";
    /** A comment (SSE) or ping (WebSocket) after this long without an event keeps proxies from closing the stream. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** A WebSocket client that does not take one message within this time is disconnected. */
    private static final long SEND_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamRoutes.class);

    private final Supplier<Optional<ExecutionMonitor>> monitor;
    private final EventJson json;
    private final Map<WsContext, EventSubscription> sockets = new ConcurrentHashMap<>();

    EventStreamRoutes(Supplier<Optional<ExecutionMonitor>> monitor, EventJson json) {
        this.monitor = monitor;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        routes.get(EXECUTION_EVENTS, ctx -> sse(ctx, executionStream(ctx.pathParam("id"))));
        routes.get(ALL_EVENTS, ctx -> sse(ctx, monitor().subscribeAll(workflowFilter(ctx.queryParam("workflowId")),
                ExecutionMonitor.DEFAULT_CAPACITY)));
        routes.ws(EXECUTION_SOCKET, ws -> socket(ws, ctx -> executionStream(ctx.pathParam("id"))));
        routes.ws(ALL_SOCKET, ws -> socket(ws, ctx -> monitor().subscribeAll(workflowFilter(ctx.queryParam("workflowId")),
                ExecutionMonitor.DEFAULT_CAPACITY)));
    }

    private ExecutionMonitor monitor() {
        return monitor.get().orElseThrow(() -> new ApiProblem(ProblemType.SERVICE_UNAVAILABLE,
                "Live events are not available: the engine's execution monitor is not running."));
    }

    private EventSubscription executionStream(String executionId) throws NotFoundException {
        return monitor().subscribe(executionId, ExecutionMonitor.DEFAULT_CAPACITY);
    }

    private static String workflowFilter(String workflowId) {
        return workflowId == null || workflowId.isBlank() ? null : workflowId;
    }

    /**
     * Streams on this request's (virtual) thread until the stream ends or the client goes away. The
     * subscription is made before answering, so an unknown execution is a plain 404 problem.
     */
    private void sse(Context ctx, EventSubscription subscription) throws IOException {
        try (subscription) {
            SseStream stream = SseStream.open(ctx, "qflow events");
            while (true) {
                ExecutionEvent event = subscription.next(KEEP_ALIVE);
                if (event != null) {
                    stream.event(event.type().json(), Long.toString(event.seq()), json.text(event));
                } else if (subscription.ended()) {
                    return;
                } else {
                    stream.keepAlive();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server stops
        } catch (IOException gone) {
            LOG.debug("event stream client went away: {}", gone.toString()); // the client closed the stream
        }
    }

    /** What a socket follows, decided when it connects (from its path and query). */
    private interface Subscribe {
        EventSubscription open(WsContext ctx) throws Exception;
    }

    private void socket(WsConfig ws, Subscribe subscribe) {
        ws.onConnect(ctx -> {
            EventSubscription subscription;
            try {
                subscription = subscribe.open(ctx);
            } catch (NotFoundException e) {
                ctx.closeSession(4404, e.getMessage());
                return;
            } catch (ApiProblem e) {
                ctx.closeSession(4000 + e.type().status(), e.getMessage());
                return;
            }
            sockets.put(ctx, subscription);
            ctx.enableAutomaticPings(KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS);
            Thread.ofVirtual().name("qflow-ws-events-" + ctx.sessionId()).start(() -> pump(ctx, subscription));
        });
        ws.onClose(ctx -> {
            EventSubscription subscription = sockets.remove(ctx);
            if (subscription != null) {
                subscription.close();
            }
        });
        ws.onError(ctx -> {
            EventSubscription subscription = sockets.remove(ctx);
            if (subscription != null) {
                subscription.close();
            }
        });
    }

    /** Sends one message at a time and waits for it to go out: what is not sent stays in the bounded buffer. */
    private void pump(WsContext ctx, EventSubscription subscription) {
        try {
            while (ctx.session.isOpen()) {
                ExecutionEvent event = subscription.next(KEEP_ALIVE);
                if (event != null) {
                    Callback.Completable sent = new Callback.Completable();
                    ctx.session.sendText(json.text(event), sent);
                    sent.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } else if (subscription.ended()) {
                    ctx.closeSession(WsCloseStatus.NORMAL_CLOSURE, "the execution finished");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            ctx.closeSession(WsCloseStatus.POLICY_VIOLATION, "the client did not read for " + SEND_TIMEOUT_SECONDS + " s");
        } catch (Exception e) {
            LOG.debug("event socket {} ended: {}", ctx.sessionId(), e.toString());
        } finally {
            sockets.remove(ctx);
            subscription.close();
        }
    }
}

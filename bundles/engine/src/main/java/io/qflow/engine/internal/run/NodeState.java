package io.qflow.engine.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ErrorInfo;
import io.qflow.engine.LogLine;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.internal.model.NodeSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable state of one node during an execution. Fields are written by the node's own thread
 * while it runs and by the run under its lock otherwise; {@link #outputs} is volatile because
 * expressions of other nodes read it without the lock.
 */
final class NodeState {

    final NodeSpec spec;
    NodeRunStatus status = NodeRunStatus.PENDING;
    int attempts;
    Instant startedAt;
    Instant finishedAt;
    final ObjectNode inputs = JsonNodeFactory.instance.objectNode();
    volatile ObjectNode outputs;
    /** Moves large values out of the record ({@link #snapshot()}) and loads them back; null: none. */
    io.qflow.engine.internal.blob.LargeValues.Session values;
    ErrorInfo error;
    /** Its outputs were served from the node result cache: it did not run. */
    boolean cached;
    final List<LogLine> logs = new ArrayList<>();
    /** Incoming connections not yet resolved (delivered or skipped). */
    int unresolved;
    /** Incoming connections that delivered a value. */
    int delivered;
    /** A first-arrival node that was made ready by its first delivered value: later values are ignored. */
    boolean startedEarly;
    /** The thread running the node's code (only while inside it), to interrupt on cancel or timeout. */
    private Thread thread;
    volatile boolean timedOut;
    /**
     * The node was running when the engine stopped and runs again after the restart: the
     * sub-workflow runs it had started then are looked for before new ones are started.
     */
    volatile boolean interrupted;
    /** Sub-workflow executions this node started or took over in this process: never taken over (again). */
    final java.util.Set<String> knownChildren = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** While waiting: what the node asks for. */
    WaitInfo wait;
    /** While a decision for this waiting node is being applied (a second one is refused). */
    boolean deciding;
    /** While waiting with a timeout: the timer that applies the default decision. */
    java.util.concurrent.ScheduledFuture<?> waitTimer;
    /** Where its log lines and progress go live (set once by the run before it starts). */
    RunEvents events;

    NodeState(NodeSpec spec) {
        this.spec = spec;
    }

    /** Records a value that arrived on an input port; the first connection to deliver wins. */
    void deliver(String port, JsonNode value) {
        if (!inputs.has(port)) {
            inputs.set(port, value);
        }
    }

    /**
     * Marks the current thread as running this node's code. Interrupts are only ever delivered
     * between {@code attach} and {@code detach}, never while the engine persists (H2 closes a file
     * channel whose thread is interrupted).
     */
    synchronized void attach() {
        thread = Thread.currentThread();
    }

    /** Ends the interruptible section and clears a pending interrupt; returns whether there was one. */
    synchronized boolean detach() {
        thread = null;
        return Thread.interrupted();
    }

    synchronized void interrupt() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    NodeRun snapshot() {
        List<LogLine> logCopy;
        synchronized (logs) {
            logCopy = logs.isEmpty() ? List.of() : List.copyOf(logs);
        }
        // inputs are complete before the node starts and never change after: no copy needed
        return new NodeRun(spec.id(), spec.type(), status, attempts, startedAt, finishedAt,
                values == null ? inputs : values.recorded(inputs), values == null ? outputs : values.recorded(outputs),
                logCopy, error, cached);
    }

    void log(String level, String message) {
        LogLine line = new LogLine(Timestamps.now(), level, message);
        int index;
        synchronized (logs) {
            logs.add(line);
            index = logs.size() - 1;
        }
        // outside the logs' monitor: a subscriber's snapshot takes the channel's monitor, then this one
        if (events != null) {
            events.log(this, line, index);
        }
    }
}

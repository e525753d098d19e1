package io.qflow.trigger.schedule.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * One running schedule: a virtual thread that sleeps until the next fire time, fires, and stores
 * that time as the last fire time (trigger state), so that after downtime the missed-fire policy
 * knows what was missed: {@code skip} goes on from now, {@code runOnce} fires once at start for
 * everything missed.
 */
final class ScheduleRunner implements TriggerHandle, Runnable {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final TriggerContext context;
    private final Schedule schedule;
    private final boolean runOnceMissed;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Instant nextFire;
    private volatile Instant lastFire;

    ScheduleRunner(TriggerContext context, Schedule schedule, boolean runOnceMissed, Clock clock) {
        this.context = context;
        this.schedule = schedule;
        this.runOnceMissed = runOnceMissed;
        this.clock = clock;
        this.lastFire = storedLastFire().orElse(null);
        this.thread = Thread.ofVirtual().name("qflow-schedule-" + context.workflowId() + "/" + context.nodeId()).unstarted(this);
    }

    void start() {
        Instant now = clock.instant();
        if (lastFire == null) {
            // No fire yet: the baseline a later start measures missed fires from.
            save(now);
        }
        nextFire = schedule.next(now).orElse(null);
        thread.start();
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        if (runOnceMissed && lastFire != null) {
            Optional<Instant> missed = schedule.next(lastFire);
            if (missed.isPresent() && missed.get().isBefore(now)) {
                context.log().info("missed fires since " + lastFire + "; running once (missedFire = runOnce)");
                fire(latestMissed(missed.get(), now), true);
            }
        }
        while (!closed) {
            Instant at = nextFire;
            if (at == null) {
                context.log().info(schedule.describe() + " has no further fire time");
                return;
            }
            if (!sleepUntil(at)) {
                return;
            }
            fire(at, false);
            // From the scheduled time, not from now: a slow fire does not shift the schedule; a fire
            // time already past (the machine was suspended) is skipped to the next one after now.
            Instant next = schedule.next(at).orElse(null);
            Instant current = clock.instant();
            while (next != null && next.isBefore(current.minusMillis(1000))) {
                next = schedule.next(next).orElse(null);
            }
            nextFire = next;
        }
    }

    private Instant latestMissed(Instant first, Instant now) {
        Instant latest = first;
        for (int i = 0; i < 100_000; i++) {
            Optional<Instant> next = schedule.next(latest);
            if (next.isEmpty() || !next.get().isBefore(now)) {
                break;
            }
            latest = next.get();
        }
        return latest;
    }

    /** Sleeps until {@code at}; false when closed meanwhile. */
    private boolean sleepUntil(Instant at) {
        while (!closed) {
            long left = Duration.between(clock.instant(), at).toNanos();
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted() && closed) {
                return false;
            }
        }
        return false;
    }

    private void fire(Instant scheduled, boolean missed) {
        Instant firedAt = clock.instant();
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        outputs.put("scheduledTime", JSON.textNode(scheduled.toString()));
        outputs.put("firedAt", JSON.textNode(firedAt.toString()));
        outputs.put("missed", JSON.booleanNode(missed));
        try {
            context.fire(outputs);
        } catch (RuntimeException e) {
            // One failed fire (the workflow cannot run right now) is shown on the status; the schedule goes on.
            context.log().error("fire at " + scheduled + " failed: " + e.getMessage());
        }
        lastFire = scheduled;
        try {
            save(scheduled);
        } catch (RuntimeException e) {
            context.log().error("could not store the last fire time: " + e.getMessage());
        }
    }

    private void save(Instant time) {
        ObjectNode state = JSON.objectNode();
        state.put("lastFireTime", time.toString());
        context.saveState(state);
    }

    private Optional<Instant> storedLastFire() {
        try {
            return context.loadState().map(s -> s.path("lastFireTime").asText(null)).map(Instant::parse);
        } catch (RuntimeException e) { // a DateTimeParseException, or a store that cannot be read
            context.log().warn("ignoring an unreadable last fire time: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public JsonNode details() {
        ObjectNode details = JSON.objectNode();
        details.put("schedule", schedule.describe());
        ArrayNode next = details.putArray("nextFireTimes");
        Instant first = nextFire;
        if (first != null) {
            next.add(first.toString());
            schedule.nextTimes(first, 4).forEach(t -> next.add(t.toString()));
        }
        details.put("lastFireTime", lastFire == null ? null : lastFire.toString());
        return details;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}

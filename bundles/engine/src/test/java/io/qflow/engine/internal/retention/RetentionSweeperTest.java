package io.qflow.engine.internal.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ForwardingExecutionRepository;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRun;
import io.qflow.engine.internal.memory.InMemoryExecutionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionSweeperTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private final SettableClock clock = new SettableClock(T0);
    private final CountingRepository executions = new CountingRepository();

    @Test
    void deletesFinishedExecutionsOlderThanTheMaximumAgeAndNeverUnfinishedOnes() {
        save("old-succeeded", ExecutionStatus.SUCCEEDED, T0.minus(Duration.ofDays(40)));
        save("old-failed", ExecutionStatus.FAILED, T0.minus(Duration.ofDays(31)));
        save("old-running", ExecutionStatus.RUNNING, T0.minus(Duration.ofDays(90)));
        save("old-waiting", ExecutionStatus.WAITING, T0.minus(Duration.ofDays(90)));
        save("young", ExecutionStatus.CANCELLED, T0.minus(Duration.ofDays(29)));
        RetentionSweeper sweeper = new RetentionSweeper(executions, new RetentionPolicy(Duration.ofDays(30), 0), clock, 100);

        assertEquals(new RetentionSweeper.Result(2, 0), sweeper.sweep());
        assertEquals(Set.of("old-running", "old-waiting", "young"), ids());

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertEquals(new RetentionSweeper.Result(1, 0), sweeper.sweep());
        assertEquals(Set.of("old-running", "old-waiting"), ids());
    }

    @Test
    void keepsOnlyTheNewestFinishedExecutionsInBatches() {
        for (int i = 0; i < 9; i++) {
            save("done-" + i, ExecutionStatus.SUCCEEDED, T0.plusSeconds(i));
        }
        save("running-oldest", ExecutionStatus.RUNNING, T0.minusSeconds(60));
        RetentionSweeper sweeper = new RetentionSweeper(executions, new RetentionPolicy(null, 4), clock, 2);

        assertEquals(new RetentionSweeper.Result(0, 5), sweeper.sweep());
        assertEquals(Set.of("done-5", "done-6", "done-7", "done-8", "running-oldest"), ids());
        // 5 to delete in batches of 2: 2 + 2 + 1, and the short batch says nothing is left
        assertEquals(3, executions.beyondCalls.get());
        assertEquals(0, executions.beforeCalls.get());

        assertEquals(new RetentionSweeper.Result(0, 0), sweeper.sweep());
    }

    @Test
    void appliesTheAgeThenTheCount() {
        save("ancient", ExecutionStatus.SUCCEEDED, T0.minus(Duration.ofDays(100)));
        for (int i = 0; i < 3; i++) {
            save("recent-" + i, ExecutionStatus.FAILED, T0.minusSeconds(10 - i));
        }
        RetentionSweeper sweeper = new RetentionSweeper(executions, new RetentionPolicy(Duration.ofDays(7), 2), clock, 500);

        assertEquals(new RetentionSweeper.Result(1, 1), sweeper.sweep());
        assertEquals(Set.of("recent-1", "recent-2"), ids());
    }

    @Test
    void aStoreWithoutRetentionTurnsItOffInsteadOfFailingEverySweep() {
        executions.onDelete = () -> {
            throw new UnsupportedOperationException("no retention here");
        };
        RetentionSweeper sweeper = new RetentionSweeper(executions, new RetentionPolicy(Duration.ofDays(1), 10), clock, 10);

        assertEquals(new RetentionSweeper.Result(0, 0), sweeper.sweep());
        assertEquals(new RetentionSweeper.Result(0, 0), sweeper.sweep());
        assertEquals(1, executions.beforeCalls.get(), "not asked again");
    }

    @Test
    void sweepsOnItsTimerThreadUntilClosed() throws InterruptedException {
        CountDownLatch swept = new CountDownLatch(2);
        Set<String> threads = new TreeSet<>();
        executions.onDelete = () -> {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            swept.countDown();
        };
        RetentionSweeper sweeper = new RetentionSweeper(executions, new RetentionPolicy(null, 5), clock, 10);
        try {
            sweeper.schedule(Duration.ZERO, Duration.ofMillis(1));
            assertTrue(swept.await(10, TimeUnit.SECONDS), "two sweeps on the timer");
        } finally {
            sweeper.close();
        }
        synchronized (threads) {
            assertEquals(Set.of("qflow-retention"), threads);
        }
    }

    @Test
    void noTimerWhenBothLimitsAreOff() {
        RetentionSweeper sweeper = new RetentionSweeper(executions, new RetentionPolicy(null, 0), clock, 10);
        sweeper.schedule(Duration.ZERO, Duration.ofMillis(1));
        sweeper.close();
        assertEquals(0, executions.beforeCalls.get() + executions.beyondCalls.get());
    }

    // ---- settings

    @Test
    void policyDefaultsToThirtyDaysAndTenThousandExecutions() {
        RetentionPolicy policy = RetentionPolicy.from(key -> null);
        assertEquals(Duration.ofDays(30), policy.maxAge());
        assertEquals(10_000, policy.maxCount());
        assertTrue(policy.enabled());
    }

    @Test
    void policyReadsBothSpellingsAndZeroSwitchesALimitOff() {
        Map<String, String> framework = Map.of("qflow.retention.maxAgeDays", "0", "qflow.retention.maxcount", " 250 ");
        RetentionPolicy policy = RetentionPolicy.from(framework::get);
        assertNull(policy.maxAge());
        assertEquals(250, policy.maxCount());

        // what QFLOW_RETENTION_MAXAGEDAYS=7 becomes
        assertEquals(Duration.ofDays(7), RetentionPolicy.from(Map.of("qflow.retention.maxagedays", "7")::get).maxAge());
        assertFalse(RetentionPolicy.from(Map.of(RetentionPolicy.MAX_AGE_DAYS, "0", RetentionPolicy.MAX_COUNT, "0")::get).enabled());
    }

    @Test
    void policyRefusesNonsenseNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetentionPolicy.from(Map.of(RetentionPolicy.MAX_COUNT, "-3")::get));
        assertTrue(e.getMessage().contains("qflow.retention.maxCount") && e.getMessage().contains("-3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RetentionPolicy.from(Map.of(RetentionPolicy.MAX_AGE_DAYS, "a month")::get));
        assertTrue(e.getMessage().contains("qflow.retention.maxAgeDays"), e.getMessage());
    }

    // ---- helpers

    /** A finished execution finished at {@code at}; an unfinished one created then. */
    private void save(String id, ExecutionStatus status, Instant at) {
        List<NodeRun> none = List.of();
        Instant finished = status.isFinal() ? at : null;
        executions.insert(new Execution(id, "wf", 1, status, "manual", JsonNodeFactory.instance.objectNode(), at.minusSeconds(1),
                at.minusSeconds(1), finished, null, null, none));
    }

    private Set<String> ids() {
        return executions.list(new ExecutionQuery(null, null, 1000, null)).stream().map(Execution::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The in-memory repository, counting the retention calls, with a hook that runs before each. */
    private static final class CountingRepository extends ForwardingExecutionRepository {
        final AtomicInteger beforeCalls = new AtomicInteger();
        final AtomicInteger beyondCalls = new AtomicInteger();
        volatile Runnable onDelete = () -> { };

        CountingRepository() {
            super(new InMemoryExecutionRepository());
        }

        @Override
        public int deleteFinishedBefore(Instant cutoff, int limit) {
            beforeCalls.incrementAndGet();
            onDelete.run();
            return super.deleteFinishedBefore(cutoff, limit);
        }

        @Override
        public int deleteFinishedBeyond(int keepNewest, int limit) {
            beyondCalls.incrementAndGet();
            onDelete.run();
            return super.deleteFinishedBeyond(keepNewest, limit);
        }
    }

    /** A clock the test moves by hand. */
    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

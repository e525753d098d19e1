package io.qflow.engine.internal.retention;

import io.qflow.engine.spi.ExecutionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the execution history bounded by a {@link RetentionPolicy}: once shortly after start, then
 * every minute, deletes finished executions that are too old or beyond the count, in batches of
 * {@link #BATCH} (one short transaction each), so the engine's writes never wait long behind it.
 * Between full batches it pauses as long as the batch took: at thousands of executions a second a
 * sweep has as much to delete as the load wrote, and deleting it flat out took the store from the
 * load for as long (most likely why a webhook benchmark once fell from 3,478 to 860 req/s; with
 * retention off the next run gave 3,729).
 * Runs on its own daemon thread; {@link #sweep()} may also be called directly.
 */
public final class RetentionSweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class.getName());
    /** Late enough not to compete with the recovery of unfinished executions at start-up. */
    static final Duration FIRST_SWEEP = Duration.ofSeconds(30);
    static final Duration PERIOD = Duration.ofMinutes(1);
    /** The longest pause between two batches. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);
    static final int BATCH = 500;

    /** What one sweep deleted. */
    public record Result(int tooOld, int beyondCount) {
        public int total() {
            return tooOld + beyondCount;
        }
    }

    private final ExecutionRepository executions;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final int batchSize;
    private ScheduledExecutorService timer;
    private volatile boolean unsupported;

    public RetentionSweeper(ExecutionRepository executions, RetentionPolicy policy, Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.executions = executions;
        this.policy = policy;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** A sweeper on the system clock that sweeps {@link #FIRST_SWEEP} from now and every {@link #PERIOD}. */
    public static RetentionSweeper start(ExecutionRepository executions, RetentionPolicy policy) {
        RetentionSweeper sweeper = new RetentionSweeper(executions, policy, Clock.systemUTC(), BATCH);
        sweeper.schedule(FIRST_SWEEP, PERIOD);
        return sweeper;
    }

    /** Starts the timer thread; does nothing when the policy keeps everything. */
    synchronized void schedule(Duration first, Duration period) {
        if (timer != null) {
            throw new IllegalStateException("already scheduled");
        }
        if (!policy.enabled()) {
            LOG.info("execution retention is off: the history is kept forever");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qflow-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweepLogged, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes, batch by batch, the finished executions that finished before now minus the maximum
     * age, then the finished ones beyond the maximum count. Blocks until done.
     */
    public Result sweep() {
        if (unsupported) {
            return new Result(0, 0);
        }
        try {
            int tooOld = 0;
            if (policy.maxAge() != null) {
                Instant cutoff = clock.instant().minus(policy.maxAge());
                tooOld = inBatches(() -> executions.deleteFinishedBefore(cutoff, batchSize));
            }
            int beyond = policy.maxCount() > 0
                    ? inBatches(() -> executions.deleteFinishedBeyond(policy.maxCount(), batchSize)) : 0;
            return new Result(tooOld, beyond);
        } catch (UnsupportedOperationException e) {
            unsupported = true;
            LOG.warning("execution retention is off: " + e.getMessage());
            return new Result(0, 0);
        }
    }

    private interface Batch {
        int delete();
    }

    private int inBatches(Batch batch) {
        int total = 0;
        int deleted;
        do {
            if (Thread.currentThread().isInterrupted()) {
                break; // stopping: the next start sweeps the rest
            }
            long started = System.nanoTime();
            deleted = batch.delete();
            total += deleted;
            if (deleted >= batchSize && !pause(Duration.ofNanos(System.nanoTime() - started))) {
                break;
            }
        } while (deleted >= batchSize);
        return total;
    }

    /** Waits as long as the last batch took (at most {@link #MAX_PAUSE}); false when interrupted. */
    private static boolean pause(Duration batchTook) {
        try {
            Thread.sleep(batchTook.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : batchTook);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void sweepLogged() {
        try {
            long t0 = System.nanoTime();
            Result result = sweep();
            if (result.total() > 0) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                LOG.info(() -> "retention deleted " + result.tooOld() + " finished executions older than " + policy.maxAge()
                        + " and " + result.beyondCount() + " beyond the newest " + policy.maxCount() + " in " + ms + " ms");
            }
        } catch (RuntimeException e) {
            // the next sweep tries again; an exception here would cancel the schedule
            LOG.log(Level.WARNING, "execution retention sweep failed", e);
        }
    }

    /** Stops the timer; a sweep in progress ends after its current batch. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}

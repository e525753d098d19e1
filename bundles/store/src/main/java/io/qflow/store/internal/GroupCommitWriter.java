package io.qflow.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Group commit: one writer thread runs every write queued since its last commit in one
 * transaction with one commit, then releases all their callers. A caller of {@link #submit} still
 * returns only once its own write is committed, but concurrent callers share the cost of the
 * commit, which on H2 with {@code WRITE_DELAY=0} (a file write per commit) or PostgreSQL (an fsync
 * per commit) is most of the cost of a small write.
 *
 * <ul>
 *   <li>Order: the queue is FIFO and the writes of a batch run in queue order, so a write that
 *       returned before another was submitted is applied before it.</li>
 *   <li>Failures: if a batch fails (a write throws, or the commit does), it is rolled back and each
 *       of its writes is run again in a transaction of its own, so a bad write fails only its own
 *       caller and the others commit.</li>
 *   <li>Writes must only touch the connection through the {@link Statements} they get and must be
 *       cheap to run again: work such as JSON serialisation belongs in the caller, before
 *       {@link #submit}, so it runs on the callers' threads and not on the single writer.</li>
 *   <li>{@link #close} refuses new writes, lets the writer finish what is queued and stops it.</li>
 * </ul>
 */
public final class GroupCommitWriter implements AutoCloseable {

    /** At most this many writes share a transaction. */
    public static final int DEFAULT_MAX_BATCH = 256;

    private static final long CLOSE_WAIT_SECONDS = 30;

    /** The statements of one caller's write, run inside the batch's transaction. */
    @FunctionalInterface
    interface Write<T> {
        T run(Statements statements) throws SQLException;
    }

    /**
     * The connection of one transaction, handing out each SQL statement prepared once per
     * transaction: writes of the same kind in a batch reuse it. A write must set every parameter.
     */
    static final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = prepared.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                prepared.put(sql, statement);
            }
            return statement;
        }

        @Override
        public void close() {
            for (PreparedStatement statement : prepared.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // the connection goes back to the pool, which closes what is left
                }
            }
            prepared.clear();
        }
    }

    private static final class Pending<T> {
        final String what;
        final Write<T> write;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;

        Pending(String what, Write<T> write) {
            this.what = what;
            this.write = write;
        }

        void runIn(Statements statements) throws SQLException {
            result = write.run(statements);
        }

        void committed() {
            done.complete(result);
        }

        void failed(Throwable failure) {
            done.completeExceptionally(failure instanceof SQLException e
                    ? new StoreException(what + " failed: " + e.getMessage(), e)
                    : failure);
        }
    }

    /** Marks the end of the queue: {@link #close} adds it last, under the lock. */
    private static final Pending<Void> STOP = new Pending<>("stop", statements -> null);

    private final DataSource dataSource;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    /** Guards {@link #closed} with the adding to the queue, so nothing is queued after STOP. */
    private final ReentrantLock submitLock = new ReentrantLock();
    private final Thread thread;
    private boolean closed;
    private volatile long batches;
    private volatile long writes;

    public GroupCommitWriter(DataSource dataSource) {
        this(dataSource, DEFAULT_MAX_BATCH);
    }

    public GroupCommitWriter(DataSource dataSource, int maxBatch) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.thread = Thread.ofPlatform().name("qflow-store-group-commit").daemon(true).start(this::run);
    }

    /**
     * Queues a write and waits, without giving up on interrupts, until it is committed.
     *
     * @return what the write returned, once committed
     * @throws StoreException if the database refused the write (or the writer is closed)
     * @throws RuntimeException what the write itself threw
     */
    <T> T submit(String what, Write<T> write) {
        Pending<T> pending = new Pending<>(what, write);
        submitLock.lock();
        try {
            if (closed) {
                throw new StoreException(what + " failed: the store is closed", null);
            }
            queue.add(pending);
        } finally {
            submitLock.unlock();
        }
        try {
            // join() does not return early when the caller is interrupted: the write is queued and
            // will be committed, so returning before would break "returns once committed".
            return pending.done.join();
        } catch (CompletionException e) {
            throw inCaller(e.getCause());
        }
    }

    /** Writes waiting for the writer (for tests). */
    int queued() {
        return queue.size();
    }

    /** Transactions committed or tried so far (for the write-rate measurement). */
    long batches() {
        return batches;
    }

    /** Writes taken from the queue so far. */
    long writes() {
        return writes;
    }

    /** Refuses new writes, waits (up to 30 s) for the queued ones to be written and stops the writer. */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        } finally {
            submitLock.unlock();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread on purpose; close() queues STOP
            }
            queue.drainTo(batch, maxBatch - 1);
            if (batch.get(batch.size() - 1) == STOP) {
                batch.remove(batch.size() - 1);
                stop = true;
            }
            try {
                if (!batch.isEmpty()) {
                    writes += batch.size();
                    write(batch);
                }
            } catch (Throwable unexpected) {
                // never leave a caller waiting, whatever happened
                for (Pending<?> pending : batch) {
                    pending.failed(unexpected);
                }
            }
            batch.clear();
        }
    }

    private void write(List<Pending<?>> batch) {
        Throwable failure = inTransaction(batch);
        if (failure == null) {
            batch.forEach(Pending::committed);
        } else if (batch.size() == 1) {
            batch.get(0).failed(failure);
        } else {
            // Which write broke the batch is not always knowable (the commit may be what failed):
            // each one again alone, so only the bad ones fail.
            for (Pending<?> pending : batch) {
                Throwable alone = inTransaction(List.of(pending));
                if (alone == null) {
                    pending.committed();
                } else {
                    pending.failed(alone);
                }
            }
        }
    }

    /** Runs the writes in one transaction and commits; returns what went wrong (rolled back), or null. */
    private Throwable inTransaction(List<Pending<?>> writes) {
        batches++;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statements statements = new Statements(connection)) {
                for (Pending<?> pending : writes) {
                    pending.runIn(statements);
                }
                connection.commit();
                return null;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                return e;
            }
        } catch (SQLException e) {
            return e; // no connection, or it failed to close
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The writer's exception for its caller, with the caller's stack where the type allows it. */
    private static RuntimeException inCaller(Throwable failure) {
        if (failure instanceof StoreException e) {
            StoreException here = new StoreException(e.getMessage(), e.getCause());
            for (Throwable suppressed : e.getSuppressed()) {
                here.addSuppressed(suppressed);
            }
            return here;
        }
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new StoreException("Write failed: " + failure, failure);
    }
}

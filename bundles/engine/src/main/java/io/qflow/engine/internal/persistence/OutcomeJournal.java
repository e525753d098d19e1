package io.qflow.engine.internal.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.Execution;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only file of the outcomes (final executions) of batched runs, written ahead of the
 * store: an outcome is on disk once one {@code write} of it returns, so the run-and-wait answer,
 * a webhook response or a waiting caller need not wait for a store transaction. The write-behind
 * flusher ({@link WriteBehindExecutions}) copies the executions into the store later, hundreds per
 * transaction; a record is no longer needed once its execution is stored, and the file holding it
 * is then emptied or deleted. At start, {@link #read} gives back what the store may miss after a
 * crash.
 *
 * <p>Why: the embedded H2 store has no write-ahead log of its own, and with {@code WRITE_DELAY=0}
 * every commit rewrites each B-tree page the transaction touched. A run-and-wait answer that waits
 * for that commit waits for a single writer thread, and under load every client ends up waiting
 * for it at once while the CPU idles (measured: ~80 % busy at 32 connections, 98 % without the
 * wait). The journal makes an outcome exactly as durable as such a commit: written to the file
 * (the operating system's page cache), surviving a killed process, not a power cut. The engine
 * uses it only with stores whose commits promise no more than that ({@code
 * ExecutionRepository.Durability.PROCESS_CRASH}).
 *
 * <p>Layout: files {@code outcomes-<n>.journal} in one directory, records of {@code [int length]
 * [int CRC32C of the payload][payload: the execution as JSON]}. A record cut short by a crash, or
 * one whose checksum does not match, ends its file: nothing after it was acknowledged.
 *
 * <p>Bookkeeping: {@link #reserve} before appending counts a record against the file it goes to,
 * {@link #release} once the execution is stored. A file whose records are all released is emptied
 * (the current one) or deleted (an older one). One platform thread does all file work: appends
 * from many callers go out in one gathering write, and no virtual thread blocks in file I/O.
 */
public final class OutcomeJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutcomeJournal.class.getName());
    private static final String PREFIX = "outcomes-";
    private static final String SUFFIX = ".journal";
    /** A new file once the current one has this much: older files go once all their records are stored. */
    public static final long DEFAULT_SEGMENT_BYTES = 4L << 20;
    private static final int MAX_RECORD_BYTES = 256 << 20;

    private final Path directory;
    private final OutcomeCodec codec;
    private final long segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** Records to write, in order (guarded by the lock). */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Older files with records whose executions are not stored yet (guarded by the lock). */
    private final List<Segment> older = new ArrayList<>();
    private Segment current;
    private long nextNumber;
    private boolean writerIdle;
    private boolean maintenanceDue;
    private boolean closed;
    private final Thread writer;

    private OutcomeJournal(Path directory, ObjectMapper json, long segmentBytes, long firstNumber) throws IOException {
        this.directory = directory;
        this.codec = new OutcomeCodec(json);
        this.segmentBytes = segmentBytes;
        this.nextNumber = firstNumber;
        this.current = newSegment();
        this.writer = Thread.ofPlatform().name("qflow-outcome-journal").daemon(true).start(this::run);
    }

    /** A mapper for {@link #open} and {@link #read} ({@link OutcomeCodec} adds the engine's ExecutionJsonModule to a copy). */
    public static ObjectMapper newObjectMapper() {
        // Buffers from a shared pool: every record is written on a new virtual thread (see RestJson).
        return new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    }

    /**
     * Opens a journal in {@code directory} (made if missing). Files already there are left alone
     * and numbered before the new ones; {@link #read} them and {@link #delete} them first.
     */
    public static OutcomeJournal open(Path directory, ObjectMapper json) throws IOException {
        return open(directory, json, DEFAULT_SEGMENT_BYTES);
    }

    static OutcomeJournal open(Path directory, ObjectMapper json, long segmentBytes) throws IOException {
        Files.createDirectories(directory);
        long last = segments(directory).stream().mapToLong(OutcomeJournal::number).max().orElse(0);
        return new OutcomeJournal(directory, json, segmentBytes, last + 1);
    }

    /**
     * The outcomes recorded in {@code directory}, oldest first, the last record of each execution
     * only. A file ends at its first incomplete or damaged record.
     */
    public static List<Execution> read(Path directory, ObjectMapper json) throws IOException {
        OutcomeCodec codec = new OutcomeCodec(json);
        Map<String, Execution> outcomes = new LinkedHashMap<>();
        for (Path file : segments(directory)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                while (true) {
                    byte[] payload = nextRecord(in, file);
                    if (payload == null) {
                        break;
                    }
                    Execution execution = codec.read(payload);
                    outcomes.remove(execution.id());
                    outcomes.put(execution.id(), execution);
                }
            }
        }
        return List.copyOf(outcomes.values());
    }

    /** Deletes the journal files in {@code directory} (after what {@link #read} gave is stored). */
    public static void delete(Path directory) throws IOException {
        for (Path file : segments(directory)) {
            Files.deleteIfExists(file);
        }
    }

    /** The next record's payload, or null at the end of the file or at a cut or damaged record. */
    private static byte[] nextRecord(DataInputStream in, Path file) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        try {
            int checksum = in.readInt();
            if (length <= 0 || length > MAX_RECORD_BYTES) {
                LOG.warning("journal " + file + ": a record of impossible length " + length + "; the rest of the file is ignored");
                return null;
            }
            byte[] payload = in.readNBytes(length);
            if (payload.length < length) {
                return null; // cut short by a crash: it was never acknowledged
            }
            CRC32C crc = new CRC32C();
            crc.update(payload);
            if ((int) crc.getValue() != checksum) {
                LOG.warning("journal " + file + ": a record with a wrong checksum; the rest of the file is ignored");
                return null;
            }
            return payload;
        } catch (EOFException cut) {
            return null;
        }
    }

    private static List<Path> segments(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(OutcomeJournal::isSegment)
                    .sorted(java.util.Comparator.comparingLong(OutcomeJournal::number))
                    .toList();
        }
    }

    private static boolean isSegment(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return false;
        }
        String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        return !digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() < 19;
    }

    private static long number(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    /** Counts a record against the file it will be written to; {@link #release} it once stored. */
    public Segment reserve() {
        lock.lock();
        try {
            current.pending++;
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** The execution of a record reserved in {@code segment} is stored: the record is no longer needed. */
    public void release(Segment segment) {
        lock.lock();
        try {
            if (--segment.pending == 0) {
                maintenanceDue = true;
                if (writerIdle) {
                    work.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the outcome into {@code segment} (from {@link #reserve}) and returns once it is in the
     * file.
     *
     * @return the outcome as JSON, the record's payload (the caller may answer with it; not to be modified)
     * @throws UncheckedIOException if it could not be written
     */
    public byte[] append(Segment segment, Execution outcome) {
        byte[] json;
        try {
            json = codec.write(outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write execution " + outcome.id() + " as JSON", e);
        }
        CRC32C crc = new CRC32C();
        crc.update(json);
        ByteBuffer header = ByteBuffer.allocate(8).putInt(0, json.length).putInt(4, (int) crc.getValue());
        // The payload goes out as its own buffer (a gathering write), so the same array is the answer.
        Pending pending = new Pending(segment, header, ByteBuffer.wrap(json), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the outcome journal is closed");
            }
            queue.add(pending);
            if (writerIdle) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        try {
            pending.written().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException("cannot write execution " + outcome.id() + " to the journal in " + directory, io);
            }
            throw e;
        }
        return json;
    }

    /**
     * Stops the writer after the queued records. Files whose records are all released are deleted;
     * the others stay for {@link #read} at the next start.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread

    private void run() {
        while (true) {
            List<Pending> batch;
            boolean stopping;
            lock.lock();
            try {
                while (queue.isEmpty() && !maintenanceDue && !closed) {
                    writerIdle = true;
                    try {
                        work.await();
                    } catch (InterruptedException e) {
                        // nobody interrupts this thread on purpose; close() signals
                    } finally {
                        writerIdle = false;
                    }
                }
                batch = new ArrayList<>(queue);
                queue.clear();
                maintenanceDue = false;
                stopping = closed;
            } finally {
                lock.unlock();
            }
            List<Runnable> answers = write(batch);
            maintain(stopping);
            answers.forEach(Runnable::run); // after maintain: a file full after this write is already replaced
            if (stopping) {
                return;
            }
        }
    }

    /**
     * Writes the records, consecutive ones of the same file in one gathering write; returns what
     * tells their appenders how it went.
     */
    private List<Runnable> write(List<Pending> batch) {
        List<Runnable> answers = new ArrayList<>(2);
        int from = 0;
        while (from < batch.size()) {
            Segment segment = batch.get(from).segment();
            int to = from + 1;
            while (to < batch.size() && batch.get(to).segment() == segment) {
                to++;
            }
            List<Pending> group = batch.subList(from, to);
            try {
                if (!segment.deleted) { // else: all its executions were stored before their records got here
                    ByteBuffer[] buffers = new ByteBuffer[group.size() * 2];
                    for (int i = 0; i < group.size(); i++) {
                        buffers[2 * i] = group.get(i).header();
                        buffers[2 * i + 1] = group.get(i).payload();
                    }
                    long bytes = 0;
                    for (ByteBuffer buffer : buffers) {
                        bytes += buffer.remaining();
                    }
                    long left = bytes;
                    while (left > 0) {
                        left -= segment.channel.write(buffers);
                    }
                    segment.size += bytes;
                }
                answers.add(() -> group.forEach(p -> p.written().complete(null)));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "writing to the outcome journal " + segment.file + " failed", e);
                answers.add(() -> group.forEach(p -> p.written().completeExceptionally(e)));
            }
            from = to;
        }
        return answers;
    }

    /**
     * Starts a new file once the current one is big enough, deletes older files whose records are
     * all released and empties the current one when all of its are (so a restart reads little).
     */
    private void maintain(boolean stopping) {
        lock.lock();
        try {
            if (current.size >= segmentBytes && !stopping) {
                Segment next = newSegment();
                older.add(current);
                current = next;
            }
            older.removeIf(segment -> {
                if (segment.pending != 0) {
                    return false;
                }
                discard(segment);
                return true;
            });
            if (current.pending == 0 && (current.size > 0 || stopping)) {
                if (stopping) {
                    discard(current);
                } else {
                    current.channel.truncate(0);
                    current.size = 0;
                }
            }
            if (stopping) {
                for (Segment segment : older) {
                    closeQuietly(segment);
                }
                if (current.pending != 0) {
                    closeQuietly(current);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "tidying the outcome journal in " + directory + " failed; its records are read again at the next start", e);
        } finally {
            lock.unlock();
        }
    }

    private void discard(Segment segment) {
        segment.deleted = true;
        closeQuietly(segment);
        try {
            Files.deleteIfExists(segment.file);
        } catch (IOException e) {
            // Its executions are stored anyway: reading it again at the next start finds nothing to do.
            LOG.log(Level.WARNING, "cannot delete the outcome journal file " + segment.file, e);
        }
    }

    private static void closeQuietly(Segment segment) {
        try {
            segment.channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing " + segment.file, e);
        }
    }

    private Segment newSegment() {
        Path file = directory.resolve(PREFIX + String.format("%010d", nextNumber++) + SUFFIX);
        try {
            return new Segment(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the outcome journal file " + file, e);
        }
    }

    /** One journal file. Its counters are guarded by the journal's lock; the channel is the writer's. */
    public static final class Segment {
        private final Path file;
        private final FileChannel channel;
        private long size;
        /** Records reserved here whose executions are not stored yet. */
        private int pending;
        private boolean deleted;

        private Segment(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }
    }

    private record Pending(Segment segment, ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> written) {
    }
}

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
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * (the current one) or deleted (an older one).
 *
 * <p>Appends write on the caller's thread, one {@code write} per record under the journal's lock.
 * They went through a writer thread of their own before, which gathered the records of concurrent
 * callers into one write; but every append then cost a hand-off there and a wake-up back, and a
 * microbenchmark of 32 virtual threads appending put the writer thread at ~5-9 us more CPU per
 * record than writing in place. The files are {@link RandomAccessFile}s, not {@code FileChannel}s:
 * a channel is closed by an interrupt of a thread writing to it, and a run's thread can be
 * interrupted (a cancel, the engine stopping) while it appends.
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
    /** Guards everything below and every file's writes. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Older files with records whose executions are not stored yet. */
    private final List<Segment> older = new ArrayList<>();
    private Segment current;
    private long nextNumber;
    private boolean closed;

    private OutcomeJournal(Path directory, ObjectMapper json, long segmentBytes, long firstNumber) throws IOException {
        this.directory = directory;
        this.codec = new OutcomeCodec(json);
        this.segmentBytes = segmentBytes;
        this.nextNumber = firstNumber;
        this.current = newSegment();
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
            if (--segment.pending == 0 && !closed) {
                maintain(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the outcome into {@code segment} (from {@link #reserve}) and returns once it is in the
     * file.
     *
     * @return the outcome as JSON, the record's payload (the caller may answer with it; not to be
     *         modified), with where its values for the store are
     * @throws UncheckedIOException if it could not be written
     */
    OutcomeCodec.Encoded append(Segment segment, Execution outcome) {
        OutcomeCodec.Encoded encoded;
        try {
            encoded = codec.write(outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write execution " + outcome.id() + " as JSON", e);
        }
        byte[] json = encoded.json();
        CRC32C crc = new CRC32C();
        crc.update(json);
        byte[] record = new byte[8 + json.length];
        ByteBuffer.wrap(record).putInt(json.length).putInt((int) crc.getValue()).put(json);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the outcome journal is closed");
            }
            if (!segment.deleted) { // else: its execution was stored before its record got here
                write(segment, record, outcome);
            }
            if (current.size >= segmentBytes) {
                maintain(false);
            }
        } finally {
            lock.unlock();
        }
        return encoded;
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
            maintain(true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock. A file a write failed in may end with part of a record, which would hide every
     * record after it from {@link #read}: it is not written again (its callers wait for the store
     * instead) and the next records go to a new file.
     */
    private void write(Segment segment, byte[] record, Execution outcome) {
        if (segment.damaged) {
            throw new UncheckedIOException(new IOException("cannot write execution " + outcome.id() + " to the journal file "
                    + segment.path + ": an earlier write to it failed"));
        }
        try {
            segment.file.write(record);
            segment.size += record.length;
        } catch (IOException e) {
            segment.damaged = true;
            maintain(false);
            throw new UncheckedIOException("cannot write execution " + outcome.id() + " to the journal in " + directory, e);
        }
    }

    /**
     * Under the lock: starts a new file once the current one is big enough, deletes older files whose
     * records are all released and empties the current one when all of its are (so a restart reads little).
     */
    private void maintain(boolean stopping) {
        try {
            if ((current.size >= segmentBytes || current.damaged) && !stopping) {
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
                    current.file.setLength(0); // the file pointer follows to 0
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
        }
    }

    private void discard(Segment segment) {
        segment.deleted = true;
        closeQuietly(segment);
        try {
            Files.deleteIfExists(segment.path);
        } catch (IOException e) {
            // Its executions are stored anyway: reading it again at the next start finds nothing to do.
            LOG.log(Level.WARNING, "cannot delete the outcome journal file " + segment.path, e);
        }
    }

    private static void closeQuietly(Segment segment) {
        try {
            segment.file.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing " + segment.path, e);
        }
    }

    private Segment newSegment() {
        Path file = directory.resolve(PREFIX + String.format("%010d", nextNumber++) + SUFFIX);
        try {
            Files.createFile(file);
            return new Segment(file, new RandomAccessFile(file.toFile(), "rw"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the outcome journal file " + file, e);
        }
    }

    /** One journal file, guarded by the journal's lock. */
    public static final class Segment {
        private final Path path;
        private final RandomAccessFile file;
        private long size;
        /** Records reserved here whose executions are not stored yet. */
        private int pending;
        private boolean deleted;
        /** A write failed part way: the file is not written again. */
        private boolean damaged;

        private Segment(Path path, RandomAccessFile file) {
            this.path = path;
            this.file = file;
        }
    }
}

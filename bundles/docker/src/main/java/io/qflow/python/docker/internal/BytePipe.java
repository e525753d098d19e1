package io.qflow.python.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory byte pipe between two threads: docker-java delivers a worker's output in
 * callbacks and pumps its input from an {@link InputStream}, while the adapter reads and writes
 * streams. Unlike {@link java.io.PipedInputStream} it does not tie itself to the threads that used
 * it last (docker-java's callback threads come and go), and unlike an OS pipe it costs no file
 * descriptors. Closing the writing end gives the reader end-of-stream once the buffer is drained;
 * closing the reading end makes writers fail instead of blocking for ever.
 */
public final class BytePipe {

    private final byte[] buffer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;

    private final InputStream in = new In();
    private final OutputStream out = new Out();

    public BytePipe(int capacity) {
        this.buffer = new byte[capacity];
    }

    public InputStream inputStream() {
        return in;
    }

    public OutputStream outputStream() {
        return out;
    }

    /** End of stream for the reader once what was written is read. */
    public void closeWriter() {
        lock.lock();
        try {
            writerClosed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes waiting to be read. */
    int buffered() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until there is something to read, the writer closed, or the deadline ({@link System#nanoTime()}) passed. */
    void awaitData(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (size == 0 && !writerClosed && !readerClosed) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                notEmpty.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes what fits without waiting and drops the rest: for diagnostics (a worker's stderr) that
     * nobody may be reading, which must never stall the stream that carries the protocol.
     */
    void offer(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (writerClosed || readerClosed) {
                return;
            }
            int n = Math.min(len, buffer.length - size);
            for (int i = 0; i < n; i++) {
                buffer[(head + size + i) % buffer.length] = b[off + i];
            }
            size += n;
            if (n > 0) {
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (size == 0) {
                    if (writerClosed || readerClosed) {
                        return -1;
                    }
                    awaitInterruptibly(notEmpty);
                }
                int n = Math.min(len, size);
                int first = Math.min(n, buffer.length - head);
                System.arraycopy(buffer, head, b, off, first);
                System.arraycopy(buffer, 0, b, off + first, n - first);
                head = (head + n) % buffer.length;
                size -= n;
                notFull.signalAll();
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return size;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                readerClosed = true;
                size = 0;
                notFull.signalAll();
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            lock.lock();
            try {
                while (len > 0) {
                    if (writerClosed || readerClosed) {
                        throw new IOException("pipe closed: the worker is gone");
                    }
                    if (size == buffer.length) {
                        awaitInterruptibly(notFull);
                        continue;
                    }
                    int tail = (head + size) % buffer.length;
                    int n = Math.min(len, Math.min(buffer.length - size, buffer.length - tail));
                    System.arraycopy(b, off, buffer, tail, n);
                    size += n;
                    off += n;
                    len -= n;
                    notEmpty.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeWriter();
        }
    }

    private static void awaitInterruptibly(Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the worker's pipe");
        }
    }
}

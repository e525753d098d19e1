package io.qflow.python.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import io.qflow.python.spi.WorkerProcess;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker {@code exec}'d into a {@link WorkerContainer}, its stdin and stdout carried over the
 * engine's hijacked exec connection. The adapter reads and writes plain streams; docker-java's
 * callback demultiplexes the engine's stdout/stderr frames into two pipes.
 */
final class DockerWorkerProcess implements WorkerProcess {

    /* Replies can be large; the bound only adds back-pressure, it never truncates. */
    private static final int STDOUT_BUFFER = 256 * 1024;
    private static final int STDIN_BUFFER = 64 * 1024;
    /* stderr is diagnostics: what does not fit is dropped rather than stall the protocol stream. */
    private static final int STDERR_BUFFER = 64 * 1024;
    private static final int SIGKILL_EXIT = 137;
    private static final ObjectMapper HELLO_JSON = new ObjectMapper();

    private final DockerClient client;
    private final WorkerContainer container;
    private final String execId;
    private final BytePipe stdin = new BytePipe(STDIN_BUFFER);
    private final BytePipe stdout = new BytePipe(STDOUT_BUFFER);
    private final BytePipe stderr = new BytePipe(STDERR_BUFFER);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CountDownLatch attached = new CountDownLatch(1);
    private volatile boolean killed;
    /* The worker's pid inside the container, from its hello frame (PROTOCOL.md); 0 until then. */
    private volatile long pid;
    private ByteArrayOutputStream helloBytes = new ByteArrayOutputStream();

    DockerWorkerProcess(DockerClient client, WorkerContainer container, String execId) {
        this.client = client;
        this.container = container;
        this.execId = execId;
    }

    void start() {
        client.execStartCmd(execId).withStdIn(stdin.inputStream()).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onStart(Closeable stream) {
                super.onStart(stream);
                attached.countDown();
            }

            @Override
            public void onNext(Frame frame) {
                byte[] payload = frame.getPayload();
                switch (frame.getStreamType()) {
                    case STDERR -> stderr.offer(payload, 0, payload.length);
                    case STDOUT, RAW -> {
                        if (pid == 0) {
                            sniffHello(payload);
                        }
                        try {
                            stdout.outputStream().write(payload);
                        } catch (IOException e) {
                            // the adapter closed its end: it is retiring this worker
                        }
                    }
                    default -> { }
                }
            }

            @Override
            public void onError(Throwable throwable) {
                String why = "\n[qflow docker] worker stream failed: " + throwable + "\n";
                byte[] bytes = why.getBytes(StandardCharsets.UTF_8);
                stderr.offer(bytes, 0, bytes.length);
                end();
            }

            @Override
            public void onComplete() {
                end();
            }
        });
        awaitAttached();
    }

    /* The engine has the hijacked connection once onStart ran; before that, stdin could race it. */
    private void awaitAttached() {
        try {
            if (!attached.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Docker engine did not attach to exec " + execId + " within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while attaching to the worker", e);
        }
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (!killed) {
            explainExit();
        }
        // stdin first, so docker-java's pump thread ends; stderr before stdout, so that an adapter
        // that reacts to stdout's end finds the whole explanation in stderr.
        stdin.closeWriter();
        stderr.closeWriter();
        stdout.closeWriter();
        container.workerEnded(this);
    }

    /* A worker killed by SIGKILL that nobody asked to kill was almost always the kernel's OOM killer. */
    private void explainExit() {
        try {
            Long exit = null;
            for (int i = 0; i < 50 && exit == null; i++) {
                InspectExecResponse inspect = client.inspectExecCmd(execId).exec();
                if (!Boolean.TRUE.equals(inspect.isRunning())) {
                    exit = inspect.getExitCodeLong();
                }
                if (exit == null) {
                    Thread.sleep(10); // the engine records the exit code just after the stream ends
                }
            }
            if (exit != null && exit == SIGKILL_EXIT) {
                note("worker killed by SIGKILL (exit 137) inside " + container
                        + ": the container's memory limit (" + (container.key().memoryBytes() >> 20)
                        + " MiB) was most likely exceeded");
            } else if (exit != null && exit != 0) {
                note("worker exited with status " + exit + " inside " + container);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the container went away meanwhile: nothing more to explain
        }
    }

    private void note(String text) {
        byte[] bytes = ("\n[qflow docker] " + text + "\n").getBytes(StandardCharsets.UTF_8);
        stderr.offer(bytes, 0, bytes.length);
    }

    /**
     * Waits until the worker has written its first bytes (the hello frame), without reading them:
     * a pooled worker counts as warm only once its interpreter is up, and the adapter still reads
     * the hello itself.
     */
    void awaitHello(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (stdout.buffered() == 0) {
                if (ended.get()) {
                    throw new IllegalStateException("the worker ended before its hello frame: " + describe());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no hello frame within " + limit + ": " + describe());
                }
                stdout.awaitData(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the worker's hello", e);
        }
    }

    /*
     * Reads the pid out of the first frame while passing every byte on untouched: with it one worker
     * can be killed without taking down the other workers of its container.
     */
    private void sniffHello(byte[] payload) {
        if (helloBytes == null) {
            return;
        }
        helloBytes.write(payload, 0, payload.length);
        byte[] seen = helloBytes.toByteArray();
        if (seen.length < 4) {
            return;
        }
        int length = ByteBuffer.wrap(seen, 0, 4).getInt();
        if (length < 0 || length > 64 * 1024) {
            helloBytes = null; // not a hello we understand: kill() falls back to the container
            return;
        }
        if (seen.length < 4 + length) {
            return;
        }
        try {
            JsonNode hello = HELLO_JSON.readTree(seen, 4, length);
            pid = hello.path("pid").asLong(-1);
        } catch (IOException | RuntimeException e) {
            pid = -1;
        }
        helloBytes = null;
    }

    /** The container was removed under this worker: its stream ends (if not already). */
    void containerGone() {
        killed = true;
        end();
    }

    @Override
    public OutputStream stdin() {
        return stdin.outputStream();
    }

    @Override
    public InputStream stdout() {
        return stdout.inputStream();
    }

    @Override
    public InputStream stderr() {
        return stderr.inputStream();
    }

    @Override
    public boolean isAlive() {
        return !ended.get() && container.isAlive();
    }

    /**
     * Kills the worker. Alone in its container, it goes with the container: a worker can leave
     * children behind (a fork bomb), and only the container's cgroup reaches them all. When other
     * workers of the same execution share the container, only this worker's process is killed
     * (SIGKILL from inside), so they carry on; if even that cannot be done (no pid left for a
     * {@code kill} in a container whose pids limit is exhausted) the container goes, with them.
     */
    @Override
    public void kill() {
        killed = true;
        if (!ended.get() && pid > 0 && container.hasOtherLiveWorkers(this) && container.killProcess(pid)) {
            end();
            return;
        }
        container.kill();
        end();
    }

    @Override
    public String describe() {
        return "docker " + container + " exec " + (execId.length() > 12 ? execId.substring(0, 12) : execId)
                + " (" + container.key().python() + ")";
    }
}

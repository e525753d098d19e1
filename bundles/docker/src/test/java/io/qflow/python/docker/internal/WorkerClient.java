package io.qflow.python.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.python.spi.WorkerProcess;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays the adapter's part of PROTOCOL.md in tests: reads the hello frame, sends calls, and on a
 * timeout kills the worker exactly as the adapter does ({@link WorkerProcess#kill()}).
 */
final class WorkerClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What came back: a reply, or why none did. */
    record Outcome(JsonNode reply, boolean timedOut, String died) {
        JsonNode result() {
            if (reply == null || !reply.path("ok").asBoolean()) {
                throw new AssertionError("no result: " + this);
            }
            return reply.get("result");
        }
    }

    private final WorkerProcess worker;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread stderrDrain;
    private int nextId = 1;
    final JsonNode hello;

    WorkerClient(WorkerProcess worker) throws IOException {
        this.worker = worker;
        this.in = new DataInputStream(worker.stdout());
        this.out = new DataOutputStream(worker.stdin());
        this.stderrDrain = Thread.ofVirtual().start(() -> drain(worker.stderr()));
        this.hello = readFrame();
        if (!"hello".equals(hello.path("type").asText())) {
            throw new AssertionError("expected hello, got " + hello);
        }
    }

    private void drain(InputStream err) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = err.read(buf)) > 0) {
                synchronized (stderr) {
                    stderr.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }

    String stderr() throws InterruptedException {
        stderrDrain.join(Duration.ofSeconds(10));
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    WorkerProcess worker() {
        return worker;
    }

    /** Calls {@code function} of {@code code}; kills the worker if no reply comes within {@code timeout}. */
    Outcome call(String code, String function, Map<String, Object> args, Duration timeout) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("id", nextId++);
        request.put("op", "call");
        request.put("hash", java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8))));
        request.put("code", code);
        request.put("function", function);
        request.set("args", JSON.valueToTree(args));
        writeFrame(request);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                reply.complete(readFrame());
            } catch (Throwable t) {
                reply.completeExceptionally(t);
            }
        });
        try {
            return new Outcome(reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS), false, null);
        } catch (TimeoutException e) {
            worker.kill();
            return new Outcome(null, true, null);
        } catch (ExecutionException e) {
            return new Outcome(null, false, String.valueOf(e.getCause()));
        }
    }

    Outcome call(String code, String function) throws Exception {
        return call(code, function, Map.of(), Duration.ofSeconds(30));
    }

    private void writeFrame(JsonNode frame) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(frame);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private JsonNode readFrame() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the worker's stdout ended (it died)");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return JSON.readTree(bytes);
    }
}

package io.qflow.rest.internal;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events response written directly on the request's (virtual) thread, each write
 * flushed. Not Javalin's SseHandler: it answers an empty 200 unless the request says
 * {@code Accept: text/event-stream}, which curl and many clients do not.
 */
final class SseStream {

    private final OutputStream out;

    private SseStream(OutputStream out) {
        this.out = out;
    }

    /** Answers 200 with the event-stream headers and a first comment line, so clients see it open. */
    static SseStream open(Context ctx, String comment) throws IOException {
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setCharacterEncoding("UTF-8");
        response.setContentType("text/event-stream");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
        SseStream stream = new SseStream(response.getOutputStream());
        stream.write(": " + comment + "\n\n");
        return stream;
    }

    void keepAlive() throws IOException {
        write(": keep-alive\n\n");
    }

    /** One event; {@code id} may be null. */
    void event(String type, String id, String data) throws IOException {
        write("event: " + type + (id == null ? "" : "\nid: " + id) + "\ndata: " + data + "\n\n");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}

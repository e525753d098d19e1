package io.qflow.python.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The worker protocol's framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (PROTOCOL.md). */
final class Frames {

    static final int MAX_FRAME = 512 * 1024 * 1024;

    private Frames() {
    }

    static void write(OutputStream out, ObjectMapper json, JsonNode message) throws IOException {
        byte[] body = json.writeValueAsBytes(message);
        byte[] frame = new byte[4 + body.length];
        frame[0] = (byte) (body.length >>> 24);
        frame[1] = (byte) (body.length >>> 16);
        frame[2] = (byte) (body.length >>> 8);
        frame[3] = (byte) body.length;
        System.arraycopy(body, 0, frame, 4, body.length);
        // One write per frame: the pipe sees it whole, which matters for the per-call overhead.
        out.write(frame);
        out.flush();
    }

    /** The next frame; {@link EOFException} when the worker closed its stdout (it died). */
    static JsonNode read(InputStream in, ObjectMapper json) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new EOFException("the worker closed its output");
        }
        int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (length < 0 || length > MAX_FRAME) {
            throw new ProtocolException("a frame of " + Integer.toUnsignedString(length) + " bytes: the worker's output is not the protocol"
                    + " (did something write to the real stdout?)");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the worker closed its output in the middle of a frame");
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new ProtocolException("a frame that is not JSON: " + e.getMessage());
        }
    }

    /** The worker broke the protocol: it cannot be trusted with another call. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }
}

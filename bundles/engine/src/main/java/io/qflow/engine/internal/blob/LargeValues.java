package io.qflow.engine.internal.blob;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.BlobRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps large JSON values out of execution records. A port value whose compact JSON is longer than
 * {@code inlineMaxBytes} is stored in the blob store and recorded as a {@link BlobRef} with media type
 * {@link #MEDIA_TYPE}; during a run the value itself still travels in memory to the successors. When
 * a resumed run (after a restart, or a retry from a failed node) reads such a reference back, the
 * value is loaded from the blob on first use. References of other media types (binary data nodes
 * put in the store themselves) are left alone: they are values in their own right.
 */
public final class LargeValues {

    /** Media type of a JSON value the engine moved out of an execution record. */
    public static final String MEDIA_TYPE = "application/vnd.qflow.value+json";
    /** Default threshold: 256 KB. */
    public static final long DEFAULT_INLINE_MAX_BYTES = 256 * 1024;
    /** Setting (BundleContext / system property) for the threshold in bytes. */
    public static final String INLINE_MAX_SETTING = "qflow.blobs.inlineMaxBytes";
    private static final Logger LOG = Logger.getLogger(LargeValues.class.getName());

    private final FileBlobStore store;
    private final long inlineMaxBytes;
    private final ObjectMapper mapper = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    public LargeValues(FileBlobStore store, long inlineMaxBytes) {
        if (inlineMaxBytes < 0) {
            throw new IllegalArgumentException(INLINE_MAX_SETTING + " must not be negative: " + inlineMaxBytes);
        }
        this.store = store;
        this.inlineMaxBytes = inlineMaxBytes;
    }

    /** Reads the threshold from a setting value; blank means the default. */
    public static long inlineMaxBytes(String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT_INLINE_MAX_BYTES;
        }
        try {
            long value = Long.parseLong(setting.trim());
            if (value < 0) {
                throw new IllegalArgumentException(INLINE_MAX_SETTING + " must not be negative: " + setting);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(INLINE_MAX_SETTING + " is not a number of bytes: " + setting, e);
        }
    }

    public FileBlobStore store() {
        return store;
    }

    public long inlineMaxBytes() {
        return inlineMaxBytes;
    }

    /** The state of one run: which in-memory values were stored as which reference, and back. */
    public Session session() {
        return new Session();
    }

    /** Per execution run; thread-safe. Lives as long as the run, so its caches do too. */
    public final class Session {
        /** value (by identity) -> its reference JSON. */
        private final Map<JsonNode, JsonNode> stored = Collections.synchronizedMap(new IdentityHashMap<>());
        /** reference JSON (by identity) -> the value read back. */
        private final Map<JsonNode, JsonNode> loaded = Collections.synchronizedMap(new IdentityHashMap<>());
        /**
         * Values (by identity) measured as small by writing them out (their upper bound was above
         * the threshold): a value is saved several times (the node's outputs, then each successor's
         * inputs, running and final), so it is serialised once.
         */
        private final Set<JsonNode> small = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

        public FileBlobStore store() {
            return store;
        }

        /** {@code ports} as recorded: large values replaced by references; the same object when none is large. */
        public ObjectNode recorded(ObjectNode ports) {
            return mapPorts(ports, this::recorded);
        }

        /** {@code ports} with {@code change} applied to each value; the same object when nothing changes. */
        private static ObjectNode mapPorts(ObjectNode ports, java.util.function.UnaryOperator<JsonNode> change) {
            if (ports == null) {
                return null;
            }
            ObjectNode copy = null;
            Iterator<Map.Entry<String, JsonNode>> fields = ports.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                JsonNode changed = change.apply(e.getValue());
                if (changed != e.getValue()) {
                    if (copy == null) {
                        copy = ports.objectNode();
                        copy.setAll(ports); // shallow: the large values are not copied
                    }
                    copy.set(e.getKey(), changed);
                }
            }
            return copy == null ? ports : copy;
        }

        /** One value as recorded: itself, or a reference when its JSON is above the threshold. */
        public JsonNode recorded(JsonNode value) {
            if (value == null || value.isMissingNode() || (value.isValueNode() && !value.isTextual())) {
                return value;
            }
            if (value.isTextual() && value.textValue().length() * 6L + 2 <= inlineMaxBytes) {
                return value; // even fully escaped it fits
            }
            if (jsonSizeAtMost(value, inlineMaxBytes) <= inlineMaxBytes) {
                // Surely small, like most values: no lookups in the identity maps below, whose
                // identity hashes and locks cost more than this walk (~3 us of a short run).
                return value;
            }
            JsonNode known = stored.get(value);
            if (known != null) {
                return known;
            }
            if (small.contains(value) || loaded.containsKey(value) || BlobRef.isRef(value)) {
                return value;
            }
            if (fitsWrittenOut(value)) {
                small.add(value);
                return value;
            }
            try {
                JsonNode ref = store.put(out -> mapper.writeValue(out, value), MEDIA_TYPE).toJson();
                stored.put(value, ref);
                loaded.put(ref, value);
                return ref;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot move a large value to the blob store; it stays in the execution record", e);
                return value;
            }
        }

        /** {@code ports} with every engine-made reference replaced by its value. */
        public ObjectNode resolved(ObjectNode ports) {
            return mapPorts(ports, this::resolved);
        }

        /**
         * The value behind an engine-made reference (loaded from the blob once per run), or
         * {@code value} itself.
         *
         * @throws UncheckedIOException when the blob cannot be read (for instance it is missing)
         */
        public JsonNode resolved(JsonNode value) {
            if (!isValueRef(value)) {
                return value;
            }
            JsonNode known = loaded.get(value);
            if (known != null) {
                return known;
            }
            BlobRef ref = BlobRef.of(value);
            try (InputStream in = store.open(ref)) {
                JsonNode read = mapper.readTree(in);
                loaded.put(value, read);
                stored.put(read, value);
                return read;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the value stored as " + ref.id() + ": " + e.getMessage(), e);
            }
        }

        /** Whether the value's JSON, written out and counted, fits: for values whose upper bound did not. */
        private boolean fitsWrittenOut(JsonNode value) {
            try (LimitedCounter counter = new LimitedCounter(inlineMaxBytes)) {
                mapper.writeValue(counter, value);
                return true;
            } catch (LimitedCounter.Exceeded e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
    }

    /**
     * An upper bound of the size of {@code value}'s JSON (every character escaped as {@code \\uXXXX},
     * numbers at their longest), or a number above {@code limit} as soon as the bound passes it. A
     * walk of the tree costs a fraction of writing it out, and most values are far below the limit.
     */
    static long jsonSizeAtMost(JsonNode value, long limit) {
        long size = 0;
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>();
        pending.push(value);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                size += node.textValue().length() * 6L + 2;
            } else if (node.isObject()) {
                size += 2;
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    size += field.getKey().length() * 6L + 4; // quotes, colon, comma
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                size += 2 + node.size(); // brackets, commas
                node.elements().forEachRemaining(pending::push);
            } else if (node.isBinary() || node.isPojo() || node.isBigDecimal() || node.isBigInteger()) {
                return limit + 1; // no cheap bound: count it for real
            } else {
                size += 32; // null, booleans and machine numbers: at most 25 characters
            }
            if (size > limit) {
                return size;
            }
        }
        return size;
    }

    /** Whether {@code value} is a reference the engine made for a large JSON value. */
    public static boolean isValueRef(JsonNode value) {
        if (!BlobRef.isRef(value)) {
            return false;
        }
        JsonNode type = value.get("mediaType");
        return type != null && MEDIA_TYPE.equals(type.asText());
    }

    /** Counts bytes written and gives up as soon as they pass the limit. */
    private static final class LimitedCounter extends OutputStream {
        static final class Exceeded extends IOException {
            private static final long serialVersionUID = 1L;

            Exceeded() {
                super("over the limit", null);
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        }

        private final long limit;
        private long count;

        LimitedCounter(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            add(len);
        }

        private void add(long n) throws Exceeded {
            count += n;
            if (count > limit) {
                throw new Exceeded();
            }
        }
    }
}

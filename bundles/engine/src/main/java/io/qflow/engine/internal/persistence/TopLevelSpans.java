package io.qflow.engine.internal.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import io.qflow.engine.spi.ExecutionRepository.JsonSpans;
import java.io.IOException;

/**
 * A generator that writes through to another and notes where the values of the top-level fields
 * {@code input}, {@code outputs}, {@code error} and {@code nodes} of the object it writes are, so the
 * store can take them without reading the document again ({@link JsonSpans}).
 *
 * <p>A top-level value ends where the next top-level field begins, or where the object ends: every
 * way of starting a field goes through {@code writeFieldName} or {@code writeFieldId} (Jackson's
 * {@code writeStringField} and the like call it), and those are what this class watches. A value
 * begins after its field's name, past the {@code ':'} the generator writes lazily with the value;
 * {@link #spans} steps over that separator (and any blanks a pretty printer adds) in the finished
 * document.
 */
final class TopLevelSpans extends JsonGeneratorDelegate {

    private static final String[] FIELDS = {"input", "outputs", "error", "nodes"};

    private final ByteArrayBuilder out;
    /** Per field of {@link #FIELDS}: where its name ended and where its value ended; -1 while unseen. */
    private final int[] marks = {-1, -1, -1, -1, -1, -1, -1, -1};
    /** The field of {@link #FIELDS} whose value is being written, or -1. */
    private int open = -1;
    /** The top-level object's write context, once a field of it is written. */
    private JsonStreamContext top;

    /** @param out where {@code base} writes */
    TopLevelSpans(JsonGenerator base, ByteArrayBuilder out) {
        super(base, false);
        this.out = out;
    }

    @Override
    public void writeFieldName(String name) throws IOException {
        boolean topLevel = fieldStarts();
        delegate.writeFieldName(name);
        named(topLevel, name);
    }

    @Override
    public void writeFieldName(SerializableString name) throws IOException {
        boolean topLevel = fieldStarts();
        delegate.writeFieldName(name);
        named(topLevel, name.getValue());
    }

    @Override
    public void writeFieldId(long id) throws IOException {
        fieldStarts();
        delegate.writeFieldId(id);
    }

    @Override
    public void writeEndObject() throws IOException {
        fieldStarts(); // at the top level: the object's last value ends here
        delegate.writeEndObject();
    }

    /**
     * Where the four values are in {@code json}, the document this generator wrote (flushed), or
     * null when one of them was not written.
     */
    JsonSpans spans(byte[] json) {
        int[] at = new int[8];
        for (int field = 0; field < FIELDS.length; field++) {
            int start = marks[2 * field];
            int end = marks[2 * field + 1];
            if (start < 0 || end < 0) {
                return null;
            }
            while (start < end && (json[start] == ':' || json[start] == ' ' || json[start] == '\n'
                    || json[start] == '\r' || json[start] == '\t')) {
                start++;
            }
            if (start == end) {
                return null;
            }
            at[2 * field] = start;
            at[2 * field + 1] = end;
        }
        return new JsonSpans(at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7]);
    }

    /** Before a field (or the end) of the object being written: true, and the open value ended, at the top level. */
    private boolean fieldStarts() {
        boolean topLevel = atTopLevel();
        if (topLevel) {
            endOpenValue();
        }
        return topLevel;
    }

    /** In the top-level object: a field started now is one of its own. */
    private boolean atTopLevel() {
        JsonStreamContext context = delegate.getOutputContext();
        if (top == null && context.inObject() && context.getParent() != null && context.getParent().inRoot()) {
            top = context; // the generator keeps this context for the whole object: later checks compare references
        }
        return context == top;
    }

    private int position() {
        return out.size() + delegate.getOutputBuffered();
    }

    /** A field's name is written: at the top level, the value of one of {@link #FIELDS} starts after it. */
    private void named(boolean topLevel, String name) {
        if (!topLevel) {
            return;
        }
        for (int field = 0; field < FIELDS.length; field++) {
            if (FIELDS[field].equals(name)) {
                open = field;
                marks[2 * field] = position();
                return;
            }
        }
    }

    private void endOpenValue() {
        if (open >= 0) {
            marks[2 * open + 1] = position();
            open = -1;
        }
    }
}

package io.qflow.sdk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The type of a port. Written as a string in descriptors and the REST API:
 * {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code object},
 * {@code object{name:string,age:integer}}, {@code array<integer>}, {@code any}, {@code binary},
 * {@code python:numpy.ndarray}; a trailing {@code ?} makes a type nullable ({@code string?}).
 * {@code list} and {@code dict} are aliases of {@code array<any>} and {@code object}.
 *
 * <p>{@link #accepts(DataType)} is the linking rule the editor and the validator use. Immutable and
 * thread-safe.
 */
public final class DataType {

    /** The kinds of value a port can carry. */
    public enum Kind { STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY, ANY, BINARY, PYTHON }

    public static final DataType STRING = new DataType(Kind.STRING, false, null, Map.of(), null);
    public static final DataType INTEGER = new DataType(Kind.INTEGER, false, null, Map.of(), null);
    public static final DataType NUMBER = new DataType(Kind.NUMBER, false, null, Map.of(), null);
    public static final DataType BOOLEAN = new DataType(Kind.BOOLEAN, false, null, Map.of(), null);
    public static final DataType OBJECT = new DataType(Kind.OBJECT, false, null, Map.of(), null);
    public static final DataType ANY = new DataType(Kind.ANY, false, null, Map.of(), null);
    public static final DataType BINARY = new DataType(Kind.BINARY, false, null, Map.of(), null);

    private final Kind kind;
    private final boolean nullable;
    private final DataType element;
    private final Map<String, DataType> properties;
    private final String pythonType;

    private DataType(Kind kind, boolean nullable, DataType element, Map<String, DataType> properties, String pythonType) {
        this.kind = kind;
        this.nullable = nullable;
        this.element = element;
        this.properties = properties;
        this.pythonType = pythonType;
    }

    /** {@code array<element>}. */
    public static DataType arrayOf(DataType element) {
        return new DataType(Kind.ARRAY, false, Objects.requireNonNull(element), Map.of(), null);
    }

    /** An object whose listed properties are known; other properties may be present too. */
    public static DataType objectWith(Map<String, DataType> properties) {
        return new DataType(Kind.OBJECT, false, null,
                Collections.unmodifiableMap(new LinkedHashMap<>(properties)), null);
    }

    /** An opaque Python object of the given qualified class name, e.g. {@code pandas.DataFrame}. */
    public static DataType python(String qualifiedName) {
        if (qualifiedName == null || qualifiedName.isBlank()) {
            throw new IllegalArgumentException("python type needs a qualified class name");
        }
        return new DataType(Kind.PYTHON, false, null, Map.of(), qualifiedName.trim());
    }

    /** This type, accepting {@code null} too. */
    public DataType asNullable() {
        return nullable ? this : new DataType(kind, true, element, properties, pythonType);
    }

    /** This type without {@code null}. */
    public DataType asNonNull() {
        return nullable ? new DataType(kind, false, element, properties, pythonType) : this;
    }

    public Kind kind() { return kind; }

    public boolean isNullable() { return nullable; }

    /** The element type of an array, or {@code null} for other kinds. */
    public DataType element() { return element; }

    /** Known properties of an object type (empty when unknown or not an object). */
    public Map<String, DataType> properties() { return properties; }

    /** The qualified class name of a {@code python:} type, or {@code null}. */
    public String pythonType() { return pythonType; }

    /**
     * Whether a port of this type may receive values from a port of type {@code source}.
     * Identical types link; {@code any} on either side links (an {@code any} source is not known
     * statically, as in a gradually typed language); {@code number} accepts {@code integer};
     * {@code array<A>} accepts {@code array<B>} when A accepts B; an object type accepts an object
     * type that has every property it names, with accepted types; a non-nullable target refuses
     * a nullable source.
     */
    public boolean accepts(DataType source) {
        Objects.requireNonNull(source, "source");
        if (kind == Kind.ANY || source.kind == Kind.ANY) {
            return true;
        }
        if (source.nullable && !nullable) {
            return false;
        }
        return switch (kind) {
            case NUMBER -> source.kind == Kind.NUMBER || source.kind == Kind.INTEGER;
            case ARRAY -> source.kind == Kind.ARRAY && element.accepts(source.element);
            case OBJECT -> source.kind == Kind.OBJECT && acceptsProperties(source);
            case PYTHON -> source.kind == Kind.PYTHON
                    && (pythonType.equals(source.pythonType) || pythonType.equals("builtins.object"));
            default -> kind == source.kind;
        };
    }

    private boolean acceptsProperties(DataType source) {
        if (properties.isEmpty() || source.properties.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, DataType> wanted : properties.entrySet()) {
            DataType offered = source.properties.get(wanted.getKey());
            if (offered == null) {
                if (!wanted.getValue().isNullable()) {
                    return false;
                }
            } else if (!wanted.getValue().accepts(offered)) {
                return false;
            }
        }
        return true;
    }

    /** Parses the string form; throws {@link IllegalArgumentException} naming what is wrong. */
    @JsonCreator
    public static DataType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty data type");
        }
        DataTypeParser parser = new DataTypeParser(text);
        return parser.parseAll();
    }

    @JsonValue
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        switch (kind) {
            case ARRAY -> out.append("array<").append(element).append('>');
            case PYTHON -> out.append("python:").append(pythonType);
            case OBJECT -> {
                out.append("object");
                if (!properties.isEmpty()) {
                    out.append('{');
                    String sep = "";
                    for (Map.Entry<String, DataType> p : properties.entrySet()) {
                        out.append(sep).append(p.getKey()).append(':').append(p.getValue());
                        sep = ",";
                    }
                    out.append('}');
                }
            }
            default -> out.append(kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (nullable) {
            out.append('?');
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataType other && kind == other.kind && nullable == other.nullable
                && Objects.equals(element, other.element) && properties.equals(other.properties)
                && Objects.equals(pythonType, other.pythonType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, nullable, element, properties, pythonType);
    }

    /** Recursive-descent reader of the string form; package-private so only DataType uses it. */
    static final class DataTypeParser {
        private final String text;
        private int pos;

        DataTypeParser(String text) {
            this.text = text;
        }

        DataType parseAll() {
            DataType type = parseType();
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected '" + text.charAt(pos) + "'");
            }
            return type;
        }

        private DataType parseType() {
            skipSpace();
            DataType type;
            if (text.startsWith("python:", pos)) {
                pos += "python:".length();
                int start = pos;
                while (pos < text.length() && (Character.isJavaIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
                type = python(text.substring(start, pos));
            } else {
                String word = word();
                type = switch (word) {
                    case "string", "str" -> STRING;
                    case "integer", "int" -> INTEGER;
                    case "number", "float" -> NUMBER;
                    case "boolean", "bool" -> BOOLEAN;
                    case "any" -> ANY;
                    case "binary", "bytes" -> BINARY;
                    case "object", "dict" -> parseObjectRest();
                    case "array", "list" -> parseArrayRest();
                    case "" -> throw error("expected a type name");
                    default -> throw error("unknown type '" + word + "'");
                };
            }
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '?') {
                pos++;
                type = type.asNullable();
            }
            return type;
        }

        private DataType parseArrayRest() {
            skipSpace();
            if (pos < text.length() && (text.charAt(pos) == '<' || text.charAt(pos) == '[')) {
                char close = text.charAt(pos) == '<' ? '>' : ']';
                pos++;
                DataType element = parseType();
                expect(close);
                return arrayOf(element);
            }
            return arrayOf(ANY);
        }

        private DataType parseObjectRest() {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '{') {
                return OBJECT;
            }
            pos++;
            Map<String, DataType> props = new LinkedHashMap<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return OBJECT;
            }
            while (true) {
                skipSpace();
                String name = word();
                if (name.isEmpty()) {
                    throw error("expected a property name");
                }
                expect(':');
                props.put(name, parseType());
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return objectWith(props);
            }
        }

        private String word() {
            int start = pos;
            while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private void expect(char c) {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid data type '" + text + "' at " + pos + ": " + what);
        }
    }
}

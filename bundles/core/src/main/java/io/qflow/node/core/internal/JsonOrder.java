package io.qflow.node.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * The order of JSON values used by Sort and by Aggregate's min/max: numbers by value, strings
 * lexicographically, false before true; values of different kinds by kind (numbers, strings,
 * booleans, then anything else); null and absent values last.
 */
final class JsonOrder implements Comparator<JsonNode> {

    static final JsonOrder INSTANCE = new JsonOrder();

    private JsonOrder() {
    }

    static boolean isAbsent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull();
    }

    @Override
    public int compare(JsonNode a, JsonNode b) {
        boolean aAbsent = isAbsent(a);
        boolean bAbsent = isAbsent(b);
        if (aAbsent || bAbsent) {
            return Boolean.compare(aAbsent, bAbsent);
        }
        int byKind = Integer.compare(rank(a), rank(b));
        if (byKind != 0) {
            return byKind;
        }
        if (a.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isTextual()) {
            return a.textValue().compareTo(b.textValue());
        }
        if (a.isBoolean()) {
            return Boolean.compare(a.booleanValue(), b.booleanValue());
        }
        return 0;
    }

    private static int rank(JsonNode value) {
        if (value.isNumber()) {
            return 0;
        }
        if (value.isTextual()) {
            return 1;
        }
        if (value.isBoolean()) {
            return 2;
        }
        return 3;
    }
}

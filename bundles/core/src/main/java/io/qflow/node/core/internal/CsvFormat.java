package io.qflow.node.core.internal;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.qflow.sdk.NodeException;

/** The CSV mapper and the delimiter rule shared by the CSV nodes. */
final class CsvFormat {

    /** Thread-safe; readers and writers are derived per call with their schema. */
    static final CsvMapper MAPPER = new CsvMapper();

    private CsvFormat() {
    }

    /** The configured delimiter: one character ("\t" for tab-separated files). */
    static char delimiter(NodeConfig config) throws NodeException {
        String delimiter = config.string("delimiter", ",");
        if (delimiter.equals("\\t")) {
            return '\t';
        }
        if (delimiter.length() != 1) {
            throw NodeConfig.invalid("delimiter", "must be exactly one character", config.get("delimiter"));
        }
        return delimiter.charAt(0);
    }
}

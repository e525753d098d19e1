package io.qflow.rest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.qflow.engine.ExecutionJsonModule;

/** The one ObjectMapper configuration of the REST front; mappers are thread-safe and reused. */
public final class RestJson {

    private RestJson() {
    }

    /** ISO-8601 dates, no timestamps, strict about trailing garbage and duplicate keys. */
    public static ObjectMapper newMapper() {
        // Jackson's buffers from one shared pool instead of one per thread (its default): every
        // request and every run is a new virtual thread, so each parser and generator allocated
        // fresh buffers: a small parse and write on a new virtual thread measured 2.3-3.8x as slow.
        return JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
                .addModule(new JavaTimeModule())
                .addModule(new ExecutionJsonModule()) // after JavaTimeModule: its Instant writer wins
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }
}

package io.qflow.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The Jackson mapper the store writes its JSON columns with. */
public final class StoreJson {

    private StoreJson() {
    }

    /** Instants as ISO-8601 text with all their digits, so log times round-trip exactly. */
    public static ObjectMapper newObjectMapper() {
        // Buffers from a shared pool: reads run on the callers' virtual threads, new for each request.
        return new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}

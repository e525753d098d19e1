package io.qflow.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionJsonModule;
import io.qflow.engine.NodeRun;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestJsonTest {

    @Test
    void executionsAreAnsweredWithTheEnginesHandWrittenSerializers() throws Exception {
        // Registered before JavaTimeModule, the module's Instant writer would lose to Jackson's.
        ObjectMapper mapper = RestJson.newMapper();
        for (Class<?> type : List.of(Execution.class, NodeRun.class, Instant.class)) {
            assertEquals(ExecutionJsonModule.class,
                    mapper.getSerializerProviderInstance().findValueSerializer(type).getClass().getEnclosingClass(), type.getName());
        }
    }
}

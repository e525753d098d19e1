package io.qflow.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on embedded H2 in file mode, the default database. */
class H2StoreTest extends StoreContractTest {

    @TempDir
    Path data;

    @Override
    protected StoreSettings settings() {
        // what the component builds from qflow.data when no qflow.db.url is set
        return StoreSettings.from(name -> StoreSettings.DATA.equals(name) ? data.toString() : null);
    }

    @Override
    protected SqlDialect dialect() {
        return SqlDialect.H2;
    }

    /** WRITE_DELAY=0: each commit is written to the file, not forced to the disk. */
    @Override
    protected io.qflow.engine.spi.ExecutionRepository.Durability durability() {
        return io.qflow.engine.spi.ExecutionRepository.Durability.PROCESS_CRASH;
    }

    @Test
    void anInMemoryDatabaseKeepsNothing() {
        JdbcStoreComponent memory = new JdbcStoreComponent(StoreSettings.of("jdbc:h2:mem:durability-" + System.nanoTime()
                + ";DB_CLOSE_DELAY=-1", "sa", null));
        try (JdbcExecutionRepository executions = new JdbcExecutionRepository(memory.dataSource(), StoreJson.newObjectMapper())) {
            assertEquals(io.qflow.engine.spi.ExecutionRepository.Durability.NONE, executions.durability());
        } finally {
            memory.close();
        }
    }

    @Test
    void clobsUpTo16KbAreKeptInTheRowOfANewDatabase() throws Exception {
        // migration V4: without it H2 moves every CLOB over 256 characters to its LOB map, a
        // second write per JSON value (most node runs' inputs and outputs)
        assertEquals("16384", queryString(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MAX_LENGTH_INPLACE_LOB'"));
    }
}

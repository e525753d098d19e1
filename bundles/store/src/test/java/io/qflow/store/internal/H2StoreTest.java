package io.qflow.store.internal;

import java.nio.file.Path;
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
}

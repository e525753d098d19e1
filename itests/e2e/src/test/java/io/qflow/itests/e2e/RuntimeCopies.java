package io.qflow.itests.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The runtimes a test starts: each is a copy of the assembled distribution in the test's temp
 * folder, and whatever is still running is stopped after the test (register it with
 * {@code @RegisterExtension}).
 */
final class RuntimeCopies implements AfterEachCallback {

    private final List<QflowProcess> copies = new ArrayList<>();

    /** The assembled distribution: {@code qflow.itest.distribution}, set by the pom. */
    static Path distribution() {
        return Path.of(System.getProperty("qflow.itest.distribution", "../../runtime/target/qflow")).toAbsolutePath().normalize();
    }

    /** A copy in {@code temp/qflow} with its data in {@code temp/data}. */
    QflowProcess copy(Path temp) throws IOException {
        return copy(temp, temp.resolve("data"));
    }

    /** A copy in {@code temp/qflow} with its data in {@code data}. */
    QflowProcess copy(Path temp, Path data) throws IOException {
        QflowProcess copy = QflowProcess.copyOf(distribution(), temp.resolve("qflow"), data);
        copies.add(copy);
        return copy;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        try {
            for (QflowProcess copy : copies) {
                copy.close();
            }
        } finally {
            copies.clear();
        }
    }
}

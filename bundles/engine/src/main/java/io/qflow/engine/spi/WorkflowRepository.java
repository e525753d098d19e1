package io.qflow.engine.spi;

import io.qflow.engine.StoredWorkflow;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Persistence of workflow documents. Implementations are thread-safe and durable: a method returns
 * once the change is committed.
 */
@ConsumerType
public interface WorkflowRepository {

    /** Inserts a new workflow; fails with {@link IllegalStateException} if the id exists. */
    void insert(StoredWorkflow workflow);

    /**
     * Replaces a workflow if its stored version is {@code expectedVersion}.
     *
     * @return false when the stored version differs (a concurrent update) or the workflow is gone
     */
    boolean update(StoredWorkflow workflow, int expectedVersion);

    Optional<StoredWorkflow> find(String id);

    /** Most recently updated first. */
    List<StoredWorkflow> list();

    /** @return false if there was no such workflow */
    boolean delete(String id);
}

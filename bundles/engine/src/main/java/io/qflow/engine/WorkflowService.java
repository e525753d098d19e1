package io.qflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Stores workflow documents after validating them. Thread-safe; calls block on the repository.
 */
@ProviderType
public interface WorkflowService {

    /** Validates a document without saving it. */
    ValidationReport validate(JsonNode document);

    /**
     * Validates and stores a new workflow; the server assigns id (unless the document's {@code id} is
     * a free slug), version 1 and timestamps.
     *
     * @throws ValidationException with every problem at once; nothing is stored
     */
    StoredWorkflow create(JsonNode document) throws ValidationException;

    /**
     * Validates and replaces a workflow; the version goes up by one. If the document carries a
     * {@code version}, it must be the current one (optimistic locking).
     */
    StoredWorkflow update(String id, JsonNode document) throws ValidationException, NotFoundException, ConflictException;

    Optional<StoredWorkflow> get(String id);

    /** Every workflow, most recently updated first. */
    List<StoredWorkflow> list();

    /** Deletes a workflow; its execution history is kept. */
    void delete(String id) throws NotFoundException;

    /**
     * Problems that stop a stored workflow from running now (a node type whose plugin is not
     * installed); empty when it can run.
     */
    List<Problem> availability(String id) throws NotFoundException;

    /**
     * Calls {@code listener} with the workflow id after a workflow is created, updated or deleted
     * (on the caller's thread: keep it short). Returns a handle that unregisters it.
     *
     * The default tells nothing (for implementations that never change).
     *
     * @since 1.3
     */
    default AutoCloseable onChange(java.util.function.Consumer<String> listener) {
        return () -> { };
    }
}

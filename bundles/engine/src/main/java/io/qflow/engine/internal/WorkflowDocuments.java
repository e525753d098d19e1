package io.qflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.engine.ConflictException;
import io.qflow.engine.NotFoundException;
import io.qflow.engine.Problem;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.ValidationException;
import io.qflow.engine.ValidationReport;
import io.qflow.engine.WorkflowService;
import io.qflow.engine.internal.model.WorkflowParser;
import io.qflow.engine.internal.validation.WorkflowValidator;
import io.qflow.engine.spi.WorkflowRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link WorkflowService}: validates documents before they are stored and stamps what the
 * server owns (id, version, timestamps) into the document so an export gives back the same thing.
 */
public final class WorkflowDocuments implements WorkflowService {

    private final WorkflowRepository repository;
    private final WorkflowValidator validator;
    private final List<java.util.function.Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WorkflowDocuments(WorkflowRepository repository, WorkflowValidator validator) {
        this.repository = repository;
        this.validator = validator;
    }

    @Override
    public ValidationReport validate(JsonNode document) {
        return ValidationReport.of(withErrorWorkflow(validator.validate(document, null, 0).problems(), document, null));
    }

    /**
     * Adds a problem when {@code settings.errorWorkflow} names a workflow that does not exist (a
     * workflow may name itself: a failing error run never starts another one).
     */
    private List<Problem> withErrorWorkflow(List<Problem> problems, JsonNode document, String selfId) {
        JsonNode errorWorkflow = document == null ? null : document.path("settings").get("errorWorkflow");
        if (errorWorkflow == null || !errorWorkflow.isTextual()) {
            return problems; // absent, or not a string: the validator already reports the latter
        }
        String id = errorWorkflow.textValue();
        JsonNode ownId = document.get("id");
        boolean self = id.equals(selfId) || (ownId != null && id.equals(ownId.asText()));
        if (self || repository.find(id).isPresent()) {
            return problems;
        }
        List<Problem> all = new java.util.ArrayList<>(problems);
        all.add(new Problem("settings.errorWorkflow.unknown", "settings.errorWorkflow names the workflow '" + id
                + "', which does not exist", null, null, "/settings/errorWorkflow"));
        return all;
    }

    @Override
    public StoredWorkflow create(JsonNode document) throws ValidationException {
        List<Problem> problems = withErrorWorkflow(validator.validate(document, null, 1).problems(), document, null);
        if (!problems.isEmpty()) {
            throw new ValidationException("the workflow is invalid", problems);
        }
        ObjectNode doc = ((ObjectNode) document).deepCopy();
        String id = requestedId(doc);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        StoredWorkflow workflow = stamp(doc, id, 1, now, now);
        try {
            repository.insert(workflow);
        } catch (IllegalStateException duplicate) {
            throw new ValidationException("the workflow is invalid", List.of(new Problem("document.id.taken",
                    "a workflow with id '" + id + "' already exists", null, null, "/id")));
        }
        changed(id);
        return workflow;
    }

    private String requestedId(ObjectNode doc) throws ValidationException {
        JsonNode id = doc.get("id");
        if (id == null || id.isNull()) {
            return UUID.randomUUID().toString();
        }
        if (!id.isTextual() || !WorkflowParser.NODE_ID.matcher(id.textValue()).matches()) {
            throw new ValidationException("the workflow is invalid", List.of(new Problem("document.id",
                    "\"id\" must be a slug of letters, digits, '-' or '_' (or left out to get a generated one)", null, null, "/id")));
        }
        if (repository.find(id.textValue()).isPresent()) {
            throw new ValidationException("the workflow is invalid", List.of(new Problem("document.id.taken",
                    "a workflow with id '" + id.textValue() + "' already exists", null, null, "/id")));
        }
        return id.textValue();
    }

    @Override
    public StoredWorkflow update(String id, JsonNode document) throws ValidationException, NotFoundException, ConflictException {
        StoredWorkflow current = repository.find(id).orElseThrow(() -> new NotFoundException("no workflow with id '" + id + "'"));
        List<Problem> problems = withErrorWorkflow(validator.validate(document, id, current.version() + 1).problems(), document, id);
        if (!problems.isEmpty()) {
            throw new ValidationException("the workflow is invalid", problems);
        }
        ObjectNode doc = ((ObjectNode) document).deepCopy();
        JsonNode version = doc.get("version");
        if (version != null && !version.isNull() && version.asInt(-1) != current.version()) {
            throw new ConflictException("workflow '" + id + "' is at version " + current.version() + ", the update was made from version "
                    + version + "; reload it and apply the change again");
        }
        JsonNode docId = doc.get("id");
        if (docId != null && !docId.isNull() && !id.equals(docId.asText())) {
            throw new ValidationException("the workflow is invalid", List.of(new Problem("document.id",
                    "the document's id '" + docId.asText() + "' differs from the URL's '" + id + "'", null, null, "/id")));
        }
        StoredWorkflow updated = stamp(doc, id, current.version() + 1, current.createdAt(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (!repository.update(updated, current.version())) {
            throw new ConflictException("workflow '" + id + "' was changed or deleted concurrently; reload it and try again");
        }
        changed(id);
        return updated;
    }

    private static StoredWorkflow stamp(ObjectNode doc, String id, int version, Instant created, Instant updated) {
        if (!doc.has("schemaVersion")) {
            doc.put("schemaVersion", 1);
        }
        doc.put("id", id);
        doc.put("version", version);
        doc.put("createdAt", created.toString());
        doc.put("updatedAt", updated.toString());
        return new StoredWorkflow(id, version, doc.get("name").asText(), created, updated, doc);
    }

    @Override
    public Optional<StoredWorkflow> get(String id) {
        return repository.find(id);
    }

    @Override
    public List<StoredWorkflow> list() {
        return repository.list();
    }

    @Override
    public void delete(String id) throws NotFoundException {
        if (!repository.delete(id)) {
            throw new NotFoundException("no workflow with id '" + id + "'");
        }
        changed(id);
    }

    @Override
    public AutoCloseable onChange(java.util.function.Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void changed(String id) {
        for (java.util.function.Consumer<String> listener : listeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                // A listener's failure (the trigger service) must not fail the save that already happened.
                java.util.logging.Logger.getLogger(WorkflowDocuments.class.getName())
                        .log(java.util.logging.Level.WARNING, "workflow change listener failed for " + id, e);
            }
        }
    }

    @Override
    public List<Problem> availability(String id) throws NotFoundException {
        StoredWorkflow workflow = repository.find(id).orElseThrow(() -> new NotFoundException("no workflow with id '" + id + "'"));
        return validator.validate(workflow.document(), workflow.id(), workflow.version()).problems();
    }
}

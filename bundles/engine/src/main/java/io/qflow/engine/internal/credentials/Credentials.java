package io.qflow.engine.internal.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.CredentialInfo;
import io.qflow.engine.CredentialService;
import io.qflow.engine.Problem;
import io.qflow.engine.ValidationException;
import io.qflow.engine.spi.DocumentRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The {@link CredentialService}: one document per credential in the collection {@code credentials}
 * (key: the name) holding only the sealed value ({@link CredentialCipher}). Inside the engine,
 * {@link #value(String)} decrypts one credential for a config that names it.
 */
public final class Credentials implements CredentialService {

    public static final String COLLECTION = "credentials";
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Logger LOG = Logger.getLogger(Credentials.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DocumentRepository documents;
    private final CredentialCipher cipher;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public Credentials(DocumentRepository documents, SecretKeySource keys) {
        this.documents = documents;
        this.cipher = new CredentialCipher(keys);
    }

    @Override
    public List<CredentialInfo> list() {
        List<CredentialInfo> all = new ArrayList<>();
        for (DocumentRepository.Document doc : documents.list(COLLECTION)) {
            all.add(info(doc));
        }
        return all;
    }

    @Override
    public CredentialInfo put(String name, JsonNode value) throws ValidationException {
        List<Problem> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(new Problem("credential.name.invalid", "a credential name starts with a letter and has at most 64 letters, "
                    + "digits, '_' or '-' (what {{ secrets.<name> }} can say), not '" + name + "'", null, null, "/name"));
        }
        if (value == null || value.isNull() || value.isMissingNode()) {
            problems.add(new Problem("credential.value.missing", "a credential needs a value (a string, or an object of fields)",
                    null, null, "/value"));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException("credential refused", problems);
        }
        byte[] plaintext;
        try {
            plaintext = JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON value", e);
        }
        documents.put(COLLECTION, name, cipher.seal(name, plaintext));
        java.util.Arrays.fill(plaintext, (byte) 0);
        changed(name);
        return documents.list(COLLECTION).stream().filter(d -> d.key().equals(name)).findFirst().map(this::info)
                .orElseThrow(() -> new IllegalStateException("credential '" + name + "' was stored but is not listed"));
    }

    @Override
    public boolean delete(String name) {
        boolean deleted = name != null && documents.delete(COLLECTION, name);
        if (deleted) {
            changed(name);
        }
        return deleted;
    }

    /**
     * The decrypted value of a credential, or empty when there is none of that name. Blocking (a read
     * of the document store).
     *
     * @throws CredentialException {@link CredentialException#UNREADABLE} when it does not decrypt with this runtime's key
     */
    public Optional<JsonNode> value(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Optional<JsonNode> sealed = documents.find(COLLECTION, name);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] plaintext = cipher.open(name, sealed.get());
        try {
            return Optional.of(JSON.readTree(plaintext));
        } catch (IOException e) {
            throw new CredentialException(CredentialException.UNREADABLE, name, "credential '" + name
                    + "' decrypted to something that is not JSON", null);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Calls {@code listener} with the name of every credential put or deleted, on the caller's thread,
     * after the store has it. Close the returned handle to stop.
     */
    public AutoCloseable onChange(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void changed(String name) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(name);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener of credential changes failed for '" + name + "'", e);
            }
        }
    }

    /** What a credential shows: its field names come from decrypting it, since the store holds nothing else. */
    private CredentialInfo info(DocumentRepository.Document doc) {
        List<String> fields = new ArrayList<>();
        try {
            value(doc.key()).filter(JsonNode::isObject).ifPresent(v -> v.fieldNames().forEachRemaining(fields::add));
        } catch (CredentialException e) {
            LOG.warning(e.getMessage()); // listed without fields; using it fails with the same message
        }
        return new CredentialInfo(doc.key(), doc.updatedAt(), fields);
    }
}

package io.qflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Named credentials (API tokens, passwords, key pairs) that workflows use without holding them:
 * a node config or a trigger config says {@code {{ secrets.<name> }}} or
 * {@code {{ secrets.<name>.<field> }}} and the engine puts the value in when it resolves that config.
 * Values are encrypted at rest (AES-256-GCM) and never leave the engine through this interface: what
 * it answers names a credential and its fields, never their values.
 *
 * <p>Changing or deleting a credential restarts the triggers of the activated workflows that use it.
 * Thread-safe; every call is one write or read of the document store and returns promptly.
 *
 * @since 1.4
 */
@ProviderType
public interface CredentialService {

    /** Every credential, ordered by name, without values. */
    List<CredentialInfo> list();

    /**
     * Stores {@code value} (any JSON: a string, or an object such as {@code {"user": ..., "password": ...}})
     * under {@code name}, replacing what was there.
     *
     * @param name {@code [A-Za-z][A-Za-z0-9_-]{0,63}}
     * @throws ValidationException when the name does not fit that pattern (problem field {@code /name})
     *                             or the value is missing or JSON null (problem field {@code /value})
     */
    CredentialInfo put(String name, JsonNode value) throws ValidationException;

    /** Deletes a credential; {@code false} when there was none of that name. */
    boolean delete(String name);
}

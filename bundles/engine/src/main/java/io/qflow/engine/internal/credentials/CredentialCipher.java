package io.qflow.engine.internal.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for credential values: a fresh random 12-byte IV per write and the credential's name
 * as associated data, so a ciphertext copied to another name does not decrypt. Sealed form:
 * {@code {"v": 1, "iv": "<base64>", "data": "<base64 of ciphertext and tag>"}}.
 */
final class CredentialCipher {

    static final int VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySource keys;
    private final SecureRandom random = new SecureRandom();

    CredentialCipher(SecretKeySource keys) {
        this.keys = keys;
    }

    ObjectNode seal(String name, byte[] plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] data;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            data = cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            // AES-GCM is required of every Java platform: this is a broken JDK, not bad input.
            throw new IllegalStateException("AES-GCM is not available: " + e, e);
        }
        ObjectNode sealed = JsonNodeFactory.instance.objectNode();
        sealed.put("v", VERSION);
        sealed.put("iv", Base64.getEncoder().encodeToString(iv));
        sealed.put("data", Base64.getEncoder().encodeToString(data));
        return sealed;
    }

    /** @throws CredentialException ({@link CredentialException#UNREADABLE}) when it does not decrypt with this key */
    byte[] open(String name, JsonNode sealed) {
        if (sealed.path("v").asInt() != VERSION || !sealed.path("iv").isTextual() || !sealed.path("data").isTextual()) {
            throw unreadable(name, "its stored form is not version " + VERSION + " {v, iv, data}", null);
        }
        try {
            byte[] iv = Base64.getDecoder().decode(sealed.get("iv").textValue());
            byte[] data = Base64.getDecoder().decode(sealed.get("data").textValue());
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, keys.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(data);
        } catch (javax.crypto.AEADBadTagException e) {
            throw unreadable(name, "it does not decrypt with the key from " + keys.origin()
                    + " (stored with another key, or altered)", e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw unreadable(name, "its stored form is damaged (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static CredentialException unreadable(String name, String why, Throwable cause) {
        return new CredentialException(CredentialException.UNREADABLE, name, "credential '" + name + "' cannot be read: " + why, cause);
    }
}

package io.qflow.engine.internal.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where the AES-256 key that encrypts credentials comes from: the setting {@code qflow.secretKey}
 * (base64 of 32 bytes; the runtime maps {@code QFLOW_SECRETKEY} to it), else the key file
 * {@code <qflow.data>/secret.key} (base64 text), created on first use with 32 bytes from
 * {@link SecureRandom} and owner-only permissions. The file is only touched when a credential is
 * first written or read, so starting the engine never needs it.
 */
public final class SecretKeySource {

    public static final String SETTING = "qflow.secretKey";
    public static final String FILE_NAME = "secret.key";
    static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKey configured;
    private final Path file;
    private volatile SecretKey loaded;

    private SecretKeySource(SecretKey configured, Path file) {
        this.configured = configured;
        this.file = file;
    }

    /**
     * The key of the setting when it is set, else the key file in {@code dataFolder}.
     *
     * @throws IllegalArgumentException naming the setting when it is set but not the base64 of 32 bytes
     */
    public static SecretKeySource from(Function<String, String> settings, Path dataFolder) {
        String value = settings.apply(SETTING);
        if (value != null && !value.isBlank()) {
            return new SecretKeySource(decode(value.trim(), SETTING), null);
        }
        return new SecretKeySource(null, dataFolder.resolve(FILE_NAME));
    }

    /** A fixed key (tests, an engine embedded with its own key management). */
    public static SecretKeySource of(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a credentials key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        return new SecretKeySource(new SecretKeySpec(key.clone(), "AES"), null);
    }

    /** A random key that lives as long as this object: for an engine whose documents live in memory too. */
    public static SecretKeySource ephemeral() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return of(key);
    }

    /** The key; reads or creates the key file the first time. */
    public SecretKey key() {
        if (configured != null) {
            return configured;
        }
        SecretKey key = loaded;
        if (key == null) {
            synchronized (this) {
                key = loaded;
                if (key == null) {
                    key = loadOrCreate();
                    loaded = key;
                }
            }
        }
        return key;
    }

    /** Where the key comes from, for messages: the setting or the file. */
    public String origin() {
        return configured != null ? SETTING : file.toString();
    }

    private SecretKey loadOrCreate() {
        try {
            if (!Files.exists(file)) {
                create();
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the credentials key " + file + ": " + e.getMessage(), e);
        }
    }

    private void create() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        // Created with its permissions, not chmod-ed after: the key is never readable by others, not even briefly.
        FileAttribute<?>[] attributes = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attributes);
        } catch (FileAlreadyExistsException e) {
            return; // made meanwhile by another thread or process: use that one
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    }

    private static SecretKey decode(String base64, String origin) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + " must be the base64 of " + KEY_BYTES
                    + " random bytes (e.g. openssl rand -base64 32), but it is not base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(origin + " must be the base64 of " + KEY_BYTES
                    + " random bytes (e.g. openssl rand -base64 32), not of " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }
}

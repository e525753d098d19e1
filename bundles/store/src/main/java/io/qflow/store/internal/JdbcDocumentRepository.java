package io.qflow.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.spi.DocumentRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Documents in the {@code documents} table. Thread-safe; every method is one transaction. */
@Component(service = DocumentRepository.class)
public class JdbcDocumentRepository implements DocumentRepository {

    /** The table's key columns are VARCHAR(255): refuse longer names before the database does, with a clear message. */
    private static final int MAX_NAME_LENGTH = 255;

    private final Transactions transactions;
    private final ColumnCodec codec;
    private final Clock clock;
    private final String upsert;

    @Activate
    public JdbcDocumentRepository(@Reference JdbcStoreComponent store) {
        this(store.dataSource(), store.objectMapper(), store.dialect(), Clock.systemUTC());
    }

    /** @param objectMapper a mapper with Jackson's JavaTimeModule, such as {@link StoreJson#newObjectMapper()} */
    public JdbcDocumentRepository(DataSource dataSource, ObjectMapper objectMapper) {
        this(dataSource, objectMapper, SqlDialect.of(dataSource), Clock.systemUTC());
    }

    JdbcDocumentRepository(DataSource dataSource, ObjectMapper objectMapper, SqlDialect dialect, Clock clock) {
        this.transactions = new Transactions(dataSource);
        this.codec = new ColumnCodec(objectMapper);
        this.clock = clock;
        this.upsert = switch (dialect) {
            case H2 -> "MERGE INTO documents (collection, doc_key, body, updated_at) KEY (collection, doc_key)"
                    + " VALUES (?, ?, ?, ?)";
            case POSTGRESQL -> "INSERT INTO documents (collection, doc_key, body, updated_at)"
                    + " VALUES (?, ?, CAST(? AS json), ?) ON CONFLICT (collection, doc_key)"
                    + " DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at";
        };
    }

    @Override
    public Optional<JsonNode> find(String collection, String key) {
        checkName("collection", collection);
        checkName("key", key);
        return transactions.single("Reading document " + collection + "/" + key, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT body FROM documents WHERE collection = ? AND doc_key = ?")) {
                statement.setString(1, collection);
                statement.setString(2, key);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(codec.getJson(row, "body")) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Document> list(String collection) {
        checkName("collection", collection);
        return transactions.single("Listing documents of " + collection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT doc_key, body, updated_at FROM documents WHERE collection = ? ORDER BY doc_key")) {
                statement.setString(1, collection);
                try (ResultSet row = statement.executeQuery()) {
                    List<Document> documents = new ArrayList<>();
                    while (row.next()) {
                        documents.add(new Document(row.getString("doc_key"), codec.getJson(row, "body"),
                                ColumnCodec.getInstant(row, "updated_at")));
                    }
                    return documents;
                }
            }
        });
    }

    @Override
    public void put(String collection, String key, JsonNode body) {
        checkName("collection", collection);
        checkName("key", key);
        Objects.requireNonNull(body, "body");
        String text = codec.write(body);
        Instant now = clock.instant();
        transactions.single("Saving document " + collection + "/" + key, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(upsert)) {
                statement.setString(1, collection);
                statement.setString(2, key);
                statement.setString(3, text);
                ColumnCodec.setInstant(statement, 4, now);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(String collection, String key) {
        checkName("collection", collection);
        checkName("key", key);
        return transactions.single("Deleting document " + collection + "/" + key, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM documents WHERE collection = ? AND doc_key = ?")) {
                statement.setString(1, collection);
                statement.setString(2, key);
                return statement.executeUpdate() == 1;
            }
        });
    }

    private static void checkName(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("A document " + what + " must have 1 to " + MAX_NAME_LENGTH
                    + " characters, not " + value.length());
        }
    }
}

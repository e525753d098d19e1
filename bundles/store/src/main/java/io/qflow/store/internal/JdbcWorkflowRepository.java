package io.qflow.store.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.StoredWorkflow;
import io.qflow.engine.spi.WorkflowRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Workflow documents in the {@code workflows} table. Thread-safe; every method is one transaction. */
@Component(service = WorkflowRepository.class)
public class JdbcWorkflowRepository implements WorkflowRepository {

    private static final String COLUMNS = "id, version, name, created_at, updated_at, document";

    private final Transactions transactions;
    private final ColumnCodec codec;
    private final String insert;
    private final String update;

    @Activate
    public JdbcWorkflowRepository(@Reference JdbcStoreComponent store) {
        this(store.dataSource(), store.objectMapper(), store.dialect());
    }

    /** @param objectMapper a mapper with Jackson's JavaTimeModule, such as {@link StoreJson#newObjectMapper()} */
    public JdbcWorkflowRepository(DataSource dataSource, ObjectMapper objectMapper) {
        this(dataSource, objectMapper, SqlDialect.of(dataSource));
    }

    JdbcWorkflowRepository(DataSource dataSource, ObjectMapper objectMapper, SqlDialect dialect) {
        this.transactions = new Transactions(dataSource);
        this.codec = new ColumnCodec(objectMapper);
        this.insert = "INSERT INTO workflows (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, " + dialect.json() + ")";
        this.update = "UPDATE workflows SET version = ?, name = ?, updated_at = ?, document = " + dialect.json()
                + " WHERE id = ? AND version = ?";
    }

    @Override
    public void insert(StoredWorkflow workflow) {
        String document = codec.write(workflow.document());
        transactions.single("Inserting workflow " + workflow.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                statement.setString(1, workflow.id());
                statement.setInt(2, workflow.version());
                statement.setString(3, workflow.name());
                ColumnCodec.setInstant(statement, 4, workflow.createdAt());
                ColumnCodec.setInstant(statement, 5, workflow.updatedAt());
                statement.setString(6, document);
                return statement.executeUpdate();
            } catch (SQLException e) {
                if (Transactions.isDuplicateKey(e)) {
                    throw new IllegalStateException("A workflow with id " + workflow.id() + " already exists", e);
                }
                throw e;
            }
        });
    }

    @Override
    public boolean update(StoredWorkflow workflow, int expectedVersion) {
        String document = codec.write(workflow.document());
        return transactions.single("Updating workflow " + workflow.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(update)) {
                statement.setInt(1, workflow.version());
                statement.setString(2, workflow.name());
                ColumnCodec.setInstant(statement, 3, workflow.updatedAt());
                statement.setString(4, document);
                statement.setString(5, workflow.id());
                statement.setInt(6, expectedVersion);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<StoredWorkflow> find(String id) {
        return transactions.single("Reading workflow " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM workflows WHERE id = ?")) {
                statement.setString(1, id);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(workflow(row)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<StoredWorkflow> list() {
        return transactions.single("Listing workflows", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM workflows ORDER BY updated_at DESC, id");
                    ResultSet row = statement.executeQuery()) {
                List<StoredWorkflow> workflows = new ArrayList<>();
                while (row.next()) {
                    workflows.add(workflow(row));
                }
                return workflows;
            }
        });
    }

    @Override
    public boolean delete(String id) {
        return transactions.single("Deleting workflow " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM workflows WHERE id = ?")) {
                statement.setString(1, id);
                return statement.executeUpdate() == 1;
            }
        });
    }

    private StoredWorkflow workflow(ResultSet row) throws SQLException {
        return new StoredWorkflow(row.getString("id"), row.getInt("version"), row.getString("name"),
                ColumnCodec.getInstant(row, "created_at"), ColumnCodec.getInstant(row, "updated_at"),
                codec.getObject(row, "document"));
    }
}

package io.qflow.store.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qflow.engine.Execution;
import io.qflow.engine.ExecutionQuery;
import io.qflow.engine.ExecutionStatus;
import io.qflow.engine.NodeRun;
import io.qflow.engine.NodeRunStatus;
import io.qflow.engine.spi.ExecutionRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Executions in the {@code executions} table and their node runs in {@code node_runs}, ordered by
 * {@code seq} (the workflow order they were inserted in). Thread-safe; every method is one
 * transaction.
 */
@Component(service = ExecutionRepository.class)
public class JdbcExecutionRepository implements ExecutionRepository {

    private static final String EXECUTION_COLUMNS = "id, workflow_id, workflow_version, status, trigger, input,"
            + " created_at, started_at, finished_at, outputs, error";
    private static final String NODE_RUN_COLUMNS = "node_id, type, status, attempts, started_at, finished_at,"
            + " inputs, outputs, logs, error";
    private static final String UNFINISHED = Arrays.stream(ExecutionStatus.values())
            .filter(status -> !status.isFinal())
            .map(status -> "'" + status.json() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    private final Transactions transactions;
    private final ColumnCodec codec;
    private final String insertExecution;
    private final String insertNodeRun;
    private final String updateExecution;
    private final String upsertNodeRun;

    @Activate
    public JdbcExecutionRepository(@Reference JdbcStoreComponent store) {
        this(store.dataSource(), store.objectMapper(), store.dialect());
    }

    /** @param objectMapper a mapper with Jackson's JavaTimeModule, such as {@link StoreJson#newObjectMapper()} */
    public JdbcExecutionRepository(DataSource dataSource, ObjectMapper objectMapper) {
        this(dataSource, objectMapper, SqlDialect.of(dataSource));
    }

    JdbcExecutionRepository(DataSource dataSource, ObjectMapper objectMapper, SqlDialect dialect) {
        this.transactions = new Transactions(dataSource);
        this.codec = new ColumnCodec(objectMapper);
        String json = dialect.json();
        this.insertExecution = "INSERT INTO executions (" + EXECUTION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, " + json
                + ", ?, ?, ?, " + json + ", " + json + ")";
        this.insertNodeRun = "INSERT INTO node_runs (execution_id, seq, " + NODE_RUN_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, " + json + ", " + json + ", " + json + ", " + json + ")";
        this.updateExecution = "UPDATE executions SET status = ?, started_at = ?, finished_at = ?, outputs = " + json
                + ", error = " + json + " WHERE id = ?";
        this.upsertNodeRun = dialect.upsertNodeRun();
    }

    @Override
    public void insert(Execution execution) {
        transactions.inTransaction("Inserting execution " + execution.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(insertExecution)) {
                statement.setString(1, execution.id());
                statement.setString(2, execution.workflowId());
                statement.setInt(3, execution.workflowVersion());
                statement.setString(4, execution.status().json());
                statement.setString(5, execution.trigger());
                codec.setJson(statement, 6, execution.input());
                ColumnCodec.setInstant(statement, 7, execution.createdAt());
                ColumnCodec.setInstant(statement, 8, execution.startedAt());
                ColumnCodec.setInstant(statement, 9, execution.finishedAt());
                codec.setJson(statement, 10, execution.outputs());
                codec.setJson(statement, 11, execution.error());
                statement.executeUpdate();
            }
            if (!execution.nodes().isEmpty()) {
                try (PreparedStatement statement = connection.prepareStatement(insertNodeRun)) {
                    int seq = 0;
                    for (NodeRun run : execution.nodes()) {
                        statement.setString(1, execution.id());
                        statement.setInt(2, seq++);
                        statement.setString(3, run.nodeId());
                        bindNodeRunFields(statement, 4, run);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public void updateExecution(Execution execution) {
        int updated = transactions.single("Updating execution " + execution.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(updateExecution)) {
                statement.setString(1, execution.status().json());
                ColumnCodec.setInstant(statement, 2, execution.startedAt());
                ColumnCodec.setInstant(statement, 3, execution.finishedAt());
                codec.setJson(statement, 4, execution.outputs());
                codec.setJson(statement, 5, execution.error());
                statement.setString(6, execution.id());
                return statement.executeUpdate();
            }
        });
        if (updated == 0) {
            throw new IllegalStateException("No execution " + execution.id() + " to update");
        }
    }

    @Override
    public void saveNodeRun(String executionId, NodeRun nodeRun) {
        transactions.single("Saving node run " + nodeRun.nodeId() + " of execution " + executionId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(upsertNodeRun)) {
                statement.setString(1, executionId);
                statement.setString(2, nodeRun.nodeId());
                statement.setString(3, executionId);
                statement.setString(4, nodeRun.nodeId());
                statement.setString(5, executionId);
                bindNodeRunFields(statement, 6, nodeRun);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Execution> find(String executionId) {
        // One transaction so the node runs belong to the same moment as the execution row.
        return transactions.inTransaction("Reading execution " + executionId, connection -> {
            Execution summary;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + EXECUTION_COLUMNS + " FROM executions WHERE id = ?")) {
                statement.setString(1, executionId);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    summary = execution(row, List.of());
                }
            }
            return Optional.of(withNodeRuns(summary, nodeRuns(connection, executionId)));
        });
    }

    @Override
    public List<Execution> list(ExecutionQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + EXECUTION_COLUMNS + " FROM executions e WHERE 1 = 1");
        List<String> parameters = new ArrayList<>();
        if (query.workflowId() != null) {
            sql.append(" AND e.workflow_id = ?");
            parameters.add(query.workflowId());
        }
        if (query.status() != null) {
            sql.append(" AND e.status = ?");
            parameters.add(query.status().json());
        }
        if (query.before() != null) {
            // Ties on created_at are broken by id, the same order the listing uses.
            sql.append(" AND (e.created_at, e.id) < (SELECT c.created_at, c.id FROM executions c WHERE c.id = ?)");
            parameters.add(query.before());
        }
        sql.append(" ORDER BY e.created_at DESC, e.id DESC FETCH FIRST ").append(query.limit()).append(" ROWS ONLY");
        return transactions.single("Listing executions", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setString(i + 1, parameters.get(i));
                }
                return executions(statement);
            }
        });
    }

    @Override
    public List<Execution> unfinished() {
        return transactions.single("Listing unfinished executions", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + EXECUTION_COLUMNS
                    + " FROM executions WHERE status IN " + UNFINISHED + " ORDER BY created_at, id")) {
                return executions(statement);
            }
        });
    }

    /** Binds type, status, attempts, started, finished, inputs, outputs, logs, error from {@code first} on. */
    private void bindNodeRunFields(PreparedStatement statement, int first, NodeRun run) throws SQLException {
        int i = first;
        statement.setString(i++, run.type());
        statement.setString(i++, run.status().json());
        statement.setInt(i++, run.attempts());
        ColumnCodec.setInstant(statement, i++, run.startedAt());
        ColumnCodec.setInstant(statement, i++, run.finishedAt());
        codec.setJson(statement, i++, run.inputs());
        codec.setJson(statement, i++, run.outputs());
        codec.setJson(statement, i++, run.logs());
        codec.setJson(statement, i, run.error());
    }

    private List<Execution> executions(PreparedStatement statement) throws SQLException {
        List<Execution> executions = new ArrayList<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                executions.add(execution(row, List.of()));
            }
        }
        return executions;
    }

    private List<NodeRun> nodeRuns(Connection connection, String executionId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + NODE_RUN_COLUMNS + " FROM node_runs WHERE execution_id = ? ORDER BY seq, node_id")) {
            statement.setString(1, executionId);
            List<NodeRun> runs = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    runs.add(new NodeRun(row.getString("node_id"), row.getString("type"),
                            NodeRunStatus.fromJson(row.getString("status")), row.getInt("attempts"),
                            ColumnCodec.getInstant(row, "started_at"), ColumnCodec.getInstant(row, "finished_at"),
                            codec.getObject(row, "inputs"), codec.getObject(row, "outputs"),
                            codec.getLogs(row, "logs"), codec.getError(row, "error")));
                }
            }
            return runs;
        }
    }

    private Execution execution(ResultSet row, List<NodeRun> nodes) throws SQLException {
        return new Execution(row.getString("id"), row.getString("workflow_id"), row.getInt("workflow_version"),
                ExecutionStatus.fromJson(row.getString("status")), row.getString("trigger"),
                codec.getJson(row, "input"), ColumnCodec.getInstant(row, "created_at"),
                ColumnCodec.getInstant(row, "started_at"), ColumnCodec.getInstant(row, "finished_at"),
                codec.getObject(row, "outputs"), codec.getError(row, "error"), nodes);
    }

    private static Execution withNodeRuns(Execution e, List<NodeRun> nodes) {
        return new Execution(e.id(), e.workflowId(), e.workflowVersion(), e.status(), e.trigger(), e.input(),
                e.createdAt(), e.startedAt(), e.finishedAt(), e.outputs(), e.error(), nodes);
    }
}

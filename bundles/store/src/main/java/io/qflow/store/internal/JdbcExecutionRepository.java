package io.qflow.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Executions in the {@code executions} table and their node runs in {@code node_runs}, ordered by
 * {@code seq} (the workflow order they were inserted in). Thread-safe.
 *
 * <p>An execution inserted already final (a batched run written once, at its end) keeps its node
 * runs in its own row instead, as one JSON array in the {@code nodes} column: one row to write in
 * place of one per node, which is most of what the write of a short run costs. Its node runs are
 * final and the engine does not write them again; should one be saved all the same, it goes to
 * {@code node_runs} as usual and, when read, takes the place of the one of the same node in the
 * array (new nodes after the array's). Writes thus never need to look at what is stored.
 *
 * <p>Writes ({@link #insert}, {@link #updateExecution}, {@link #saveNodeRun}) go through a
 * {@link GroupCommitWriter}: concurrent writes share one transaction and one commit, and each call
 * returns once its own write is committed. Their JSON is written on the caller's thread before the
 * write is queued. Reads run directly on the pool, one transaction each.
 */
@Component(service = ExecutionRepository.class)
public class JdbcExecutionRepository implements ExecutionRepository, AutoCloseable {

    private static final String EXECUTION_COLUMNS = "id, workflow_id, workflow_version, status, trigger, input,"
            + " created_at, started_at, finished_at, outputs, error";
    private static final String NODE_RUN_COLUMNS = "node_id, type, status, attempts, started_at, finished_at,"
            + " inputs, outputs, logs, error, cached";
    private static final String UNFINISHED = statusesWhere(status -> !status.isFinal());
    private static final String FINAL = statusesWhere(ExecutionStatus::isFinal);
    /*
     * The final executions for the retention selects: the same set as "status IN FINAL", but H2
     * would take an IN list to executions_by_status, read every final execution there and sort
     * them all; with NOT IN it walks the primary key in id order and stops after the batch.
     */
    private static final String FINAL_BY_ID = "status NOT IN " + UNFINISHED;

    private final Transactions transactions;
    private final GroupCommitWriter writer;
    private final boolean ownsWriter;
    private final ColumnCodec codec;
    private final JsonFactory jsonFactory;
    private final String insertExecution;
    private final String insertNodeRun;
    private final String updateExecution;
    private final String upsertNodeRun;
    private final Durability durability;

    @Activate
    public JdbcExecutionRepository(@Reference JdbcStoreComponent store) {
        this(store.dataSource(), store.objectMapper(), store.dialect(), durabilityOf(store.url()), null);
    }

    /**
     * A repository with its own {@link GroupCommitWriter}; {@link #close()} stops it.
     *
     * @param objectMapper a mapper with Jackson's JavaTimeModule, such as {@link StoreJson#newObjectMapper()}
     */
    public JdbcExecutionRepository(DataSource dataSource, ObjectMapper objectMapper) {
        this(dataSource, objectMapper, urlOf(dataSource), null);
    }

    /** A repository writing through {@code writer} (on the same DataSource), which the caller closes. */
    public JdbcExecutionRepository(DataSource dataSource, ObjectMapper objectMapper, GroupCommitWriter writer) {
        this(dataSource, objectMapper, urlOf(dataSource), Objects.requireNonNull(writer, "writer"));
    }

    /** Dialect and durability from the one URL the database gave. */
    private JdbcExecutionRepository(DataSource dataSource, ObjectMapper objectMapper, String url, GroupCommitWriter writer) {
        this(dataSource, objectMapper, SqlDialect.ofUrl(url), durabilityOf(url), writer);
    }

    JdbcExecutionRepository(DataSource dataSource, ObjectMapper objectMapper, SqlDialect dialect, Durability durability,
            GroupCommitWriter writer) {
        this.transactions = new Transactions(dataSource);
        this.ownsWriter = writer == null;
        this.writer = writer == null ? new GroupCommitWriter(dataSource) : writer;
        this.codec = new ColumnCodec(objectMapper);
        this.jsonFactory = objectMapper.getFactory();
        String json = dialect.json();
        this.insertExecution = "INSERT INTO executions (" + EXECUTION_COLUMNS + ", nodes) VALUES (?, ?, ?, ?, ?, " + json
                + ", ?, ?, ?, " + json + ", " + json + ", " + json + ")";
        this.insertNodeRun = "INSERT INTO node_runs (execution_id, seq, " + NODE_RUN_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, " + json + ", " + json + ", " + json + ", " + json + ", ?)";
        this.updateExecution = "UPDATE executions SET status = ?, started_at = ?, finished_at = ?, outputs = " + json
                + ", error = " + json + " WHERE id = ?";
        this.upsertNodeRun = dialect.upsertNodeRun();
        this.durability = durability;
    }

    /**
     * PostgreSQL forces every commit to the disk (its default); the H2 file store writes each commit
     * to its file without forcing it ({@code WRITE_DELAY=0}, {@link StoreSettings#h2FileUrl}); an H2
     * in-memory database keeps nothing.
     */
    static Durability durabilityOf(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return Durability.POWER_LOSS;
        }
        return url.startsWith("jdbc:h2:mem:") ? Durability.NONE : Durability.PROCESS_CRASH;
    }

    /** For a ready DataSource: asks the database for its URL (the component knows it from its settings). */
    private static String urlOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new StoreException("Cannot connect to the database", e);
        }
    }

    @Override
    public Durability durability() {
        return durability;
    }

    /** Waits for the queued writes and stops the writer if this repository made it (DS deactivate). */
    @Deactivate
    @Override
    public void close() {
        if (ownsWriter) {
            writer.close();
        }
    }

    GroupCommitWriter writer() {
        return writer;
    }

    @Override
    public void insert(Execution execution) {
        ExecutionRow row = executionRow(execution);
        writer.submit("Inserting execution " + execution.id(), statements -> {
            insertAll(statements, List.of(row));
            return null;
        });
    }

    @Override
    public void updateExecution(Execution execution) {
        ExecutionRow row = updateRow(execution);
        int updated = writer.submit("Updating execution " + execution.id(), statements -> {
            PreparedStatement statement = statements.prepare(updateExecution);
            row.bindUpdate(statement);
            return statement.executeUpdate();
        });
        if (updated == 0) {
            throw new IllegalStateException("No execution " + execution.id() + " to update");
        }
    }

    /**
     * One transaction for the changes of many executions: new executions and their node runs as
     * batched inserts, execution updates as one batch, node runs one upsert each (see
     * {@link #saveNodeRun} for why they are not batched).
     */
    @Override
    public void saveChanges(List<Changes> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<ExecutionRow> inserts = new ArrayList<>();
        List<ExecutionRow> updates = new ArrayList<>();
        List<String> upsertIds = new ArrayList<>();
        List<NodeRunRow> upserts = new ArrayList<>();
        for (Changes change : changes) {
            if (change.insert()) {
                inserts.add(executionRow(change.execution(), change.json(), change.spans()));
                continue;
            }
            if (change.updated()) {
                updates.add(updateRow(change.execution()));
            }
            for (NodeRun run : change.nodeRuns()) {
                upsertIds.add(change.execution().id());
                upserts.add(row(run));
            }
        }
        // Its own transaction, not the group-commit writer's queue: the caller (the engine's
        // write-behind flusher) already gathers many executions per call, and a hand-off to the
        // writer thread would only add a thread switch to every flush.
        transactions.inTransaction("Saving the changes of " + changes.size() + " executions", connection -> {
            try (GroupCommitWriter.Statements statements = new GroupCommitWriter.Statements(connection)) {
                saveAll(statements, inserts, updates, upsertIds, upserts);
            }
            return null;
        });
    }

    private void saveAll(GroupCommitWriter.Statements statements, List<ExecutionRow> inserts, List<ExecutionRow> updates,
                         List<String> upsertIds, List<NodeRunRow> upserts) throws SQLException {
        insertAll(statements, inserts);
        if (!updates.isEmpty()) {
            PreparedStatement statement = statements.prepare(updateExecution);
            for (ExecutionRow row : updates) {
                row.bindUpdate(statement);
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    throw new IllegalStateException("No execution " + updates.get(i).id() + " to update");
                }
            }
        }
        for (int i = 0; i < upserts.size(); i++) {
            bindUpsert(statements.prepare(upsertNodeRun), upsertIds.get(i), upserts.get(i)).executeUpdate();
        }
    }

    private void insertAll(GroupCommitWriter.Statements statements, List<ExecutionRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement statement = statements.prepare(insertExecution);
        boolean anyNodeRows = false;
        for (ExecutionRow row : rows) {
            row.bindInsert(statement);
            statement.addBatch();
            anyNodeRows |= !row.nodeRows().isEmpty();
        }
        statement.executeBatch();
        if (anyNodeRows) {
            PreparedStatement nodeStatement = statements.prepare(insertNodeRun);
            for (ExecutionRow row : rows) {
                addNodeRows(nodeStatement, row.id(), row.nodeRows());
            }
            nodeStatement.executeBatch();
        }
    }

    private static void addNodeRows(PreparedStatement statement, String executionId, List<NodeRunRow> nodes)
            throws SQLException {
        int seq = 0;
        for (NodeRunRow node : nodes) {
            statement.setString(1, executionId);
            statement.setInt(2, seq++);
            statement.setString(3, node.nodeId());
            node.bindFields(statement, 4);
            statement.addBatch();
        }
    }

    /**
     * An execution's columns, its JSON written on the caller's thread: the node runs of a final
     * execution as one array in its row, those of any other as rows of their own.
     */
    private ExecutionRow executionRow(Execution execution) {
        return executionRow(execution, null, null);
    }

    /**
     * @param json  the execution's JSON form when the engine has it (see {@link ExecutionJsonColumns}), else null
     * @param spans where the values are in {@code json} when the engine says, else null
     */
    private ExecutionRow executionRow(Execution execution, byte[] json, ExecutionRepository.JsonSpans spans) {
        boolean inRow = execution.status().isFinal();
        if (json != null && inRow && ColumnCodec.nodeTimesInMicros(execution.nodes())) {
            ExecutionJsonColumns columns = spans != null ? ExecutionJsonColumns.of(json, spans)
                    : ExecutionJsonColumns.of(jsonFactory, json);
            return new ExecutionRow(execution, columns.input(), columns.outputs(), columns.error(), columns.nodes(), List.of());
        }
        return new ExecutionRow(execution, codec.jsonOrNull(execution.input()), codec.jsonOrNull(execution.outputs()),
                codec.jsonOrNull(execution.error()), inRow ? codec.writeNodeRuns(execution.nodes()) : null,
                inRow ? List.of() : execution.nodes().stream().map(this::row).toList());
    }

    /**
     * The columns an update writes: node runs are not among them, so they are not written out (the
     * engine hands the whole execution, every node run of a 1,000-node workflow included).
     */
    private ExecutionRow updateRow(Execution execution) {
        return new ExecutionRow(execution, null, codec.jsonOrNull(execution.outputs()), codec.jsonOrNull(execution.error()),
                null, List.of());
    }

    /** An execution's columns: node runs either as {@code nodes} (JSON, in the row) or as {@code nodeRows}. */
    private record ExecutionRow(Execution execution, String input, String outputs, String error, String nodes,
                                List<NodeRunRow> nodeRows) {

        String id() {
            return execution.id();
        }

        void bindInsert(PreparedStatement statement) throws SQLException {
            statement.setString(1, execution.id());
            statement.setString(2, execution.workflowId());
            statement.setInt(3, execution.workflowVersion());
            statement.setString(4, execution.status().json());
            statement.setString(5, execution.trigger());
            ColumnCodec.setJsonText(statement, 6, input);
            ColumnCodec.setInstant(statement, 7, execution.createdAt());
            ColumnCodec.setInstant(statement, 8, execution.startedAt());
            ColumnCodec.setInstant(statement, 9, execution.finishedAt());
            ColumnCodec.setJsonText(statement, 10, outputs);
            ColumnCodec.setJsonText(statement, 11, error);
            ColumnCodec.setJsonText(statement, 12, nodes);
        }

        void bindUpdate(PreparedStatement statement) throws SQLException {
            statement.setString(1, execution.status().json());
            ColumnCodec.setInstant(statement, 2, execution.startedAt());
            ColumnCodec.setInstant(statement, 3, execution.finishedAt());
            ColumnCodec.setJsonText(statement, 4, outputs);
            ColumnCodec.setJsonText(statement, 5, error);
            statement.setString(6, execution.id());
        }
    }

    /*
     * Each upsert is its own executeUpdate, not one addBatch/executeBatch over the batch's node
     * runs: with PostgreSQL's reWriteBatchedInserts (on, for the pending node runs of insert) the
     * driver would turn the batch into one multi-row INSERT ... ON CONFLICT, which fails when two
     * records of one node run are in it and gives two new node runs the same seq (the subqueries
     * see the table as it was before the statement). Embedded H2 runs a batch statement by
     * statement anyway; what group commit saves is the commit.
     */
    @Override
    public void saveNodeRun(String executionId, NodeRun nodeRun) {
        NodeRunRow node = row(nodeRun);
        writer.submit("Saving node run " + nodeRun.nodeId() + " of execution " + executionId,
                statements -> bindUpsert(statements.prepare(upsertNodeRun), executionId, node).executeUpdate());
    }

    private static PreparedStatement bindUpsert(PreparedStatement statement, String executionId, NodeRunRow node)
            throws SQLException {
        statement.setString(1, executionId);
        statement.setString(2, node.nodeId());
        statement.setString(3, executionId);
        statement.setString(4, node.nodeId());
        statement.setString(5, executionId);
        node.bindFields(statement, 6);
        return statement;
    }

    @Override
    public Optional<Execution> find(String executionId) {
        // One transaction so the node runs belong to the same moment as the execution row.
        return transactions.inTransaction("Reading execution " + executionId, connection -> {
            Execution summary;
            String nodes;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + EXECUTION_COLUMNS + ", nodes FROM executions WHERE id = ?")) {
                statement.setString(1, executionId);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    summary = execution(row, List.of());
                    nodes = row.getString("nodes");
                }
            }
            List<NodeRun> rows = nodeRuns(connection, executionId);
            return Optional.of(withNodeRuns(summary, nodes == null ? rows : overlay(codec.readNodeRuns(nodes), rows)));
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
            sql.append(" AND e.id < ?");
            parameters.add(query.before());
        }
        // Newest first is descending id (the SPI's order). The filtered column leads the ORDER BY,
        // although it has one value here, because H2 reads an index in order only for an ORDER BY
        // that begins with the index's first column (executions_by_workflow, executions_by_status);
        // otherwise it sorts every execution of the workflow or status. PostgreSQL ignores it.
        String filtered = query.workflowId() != null ? "e.workflow_id, " : query.status() != null ? "e.status, " : "";
        sql.append(" ORDER BY ").append(filtered).append("e.id DESC FETCH FIRST ").append(query.limit()).append(" ROWS ONLY");
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
                    + " FROM executions WHERE status IN " + UNFINISHED + " ORDER BY id")) {
                return executions(statement);
            }
        });
    }

    /*
     * Retention deletes run on their own pooled connection, not through the group commit. A batch
     * first reads the ids that go from the primary key, oldest first (the SPI's order is by id), then
     * deletes them by primary key in one short transaction (node runs go by ON DELETE CASCADE).
     * One DELETE ... WHERE id IN (subquery) made H2 test every row of the table against the
     * subquery's result, a cost that grew with the history and took a core under load. Rows of
     * final executions are not written by the engine any more, so they do not hold up its writes;
     * a final execution that a concurrent retry reopens is no longer matched.
     */
    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        requirePositive(limit);
        String select = "SELECT id FROM executions WHERE " + FINAL_BY_ID
                + " AND COALESCE(finished_at, created_at) < ? ORDER BY id FETCH FIRST " + limit + " ROWS ONLY";
        return transactions.inTransaction("Deleting executions finished before " + cutoff, connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                ColumnCodec.setInstant(statement, 1, cutoff);
                readIds(statement, ids);
            }
            return deleteFinished(connection, ids);
        });
    }

    @Override
    public int deleteFinishedBeyond(int keepNewest, int limit) {
        requirePositive(limit);
        if (keepNewest < 0) {
            throw new IllegalArgumentException("keepNewest must not be negative, was " + keepNewest);
        }
        // The newest final execution that goes (the first past the kept ones), then the oldest up to it.
        String boundary = "SELECT id FROM executions WHERE " + FINAL_BY_ID
                + " ORDER BY id DESC OFFSET " + keepNewest + " ROWS FETCH FIRST 1 ROWS ONLY";
        String select = "SELECT id FROM executions WHERE " + FINAL_BY_ID
                + " AND id <= ? ORDER BY id FETCH FIRST " + limit + " ROWS ONLY";
        return transactions.inTransaction("Deleting finished executions beyond the newest " + keepNewest, connection -> {
            String id;
            try (PreparedStatement statement = connection.prepareStatement(boundary); ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return 0;
                }
                id = row.getString(1);
            }
            List<String> ids = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                statement.setString(1, id);
                readIds(statement, ids);
            }
            return deleteFinished(connection, ids);
        });
    }

    private static void readIds(PreparedStatement statement, List<String> ids) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
    }

    private static int deleteFinished(Connection connection, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM executions WHERE id = ? AND status IN " + FINAL)) {
            for (String id : ids) {
                delete.setString(1, id);
                delete.addBatch();
            }
            int deleted = 0;
            for (int n : delete.executeBatch()) {
                deleted += Math.max(0, n);
            }
            return deleted;
        }
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    private static String statusesWhere(Predicate<ExecutionStatus> which) {
        return Arrays.stream(ExecutionStatus.values())
                .filter(which)
                .map(status -> "'" + status.json() + "'")
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private NodeRunRow row(NodeRun run) {
        return new NodeRunRow(run.nodeId(), run.type(), run.status().json(), run.attempts(), run.startedAt(),
                run.finishedAt(), codec.jsonOrNull(run.inputs()), codec.jsonOrNull(run.outputs()),
                codec.jsonOrNull(run.logs()), codec.jsonOrNull(run.error()), run.cached());
    }

    /** A node run with its JSON already written, ready to bind on the writer thread. */
    private record NodeRunRow(String nodeId, String type, String status, int attempts, Instant startedAt,
            Instant finishedAt, String inputs, String outputs, String logs, String error, boolean cached) {

        /** Binds type, status, attempts, started, finished, inputs, outputs, logs, error, cached from {@code first} on. */
        void bindFields(PreparedStatement statement, int first) throws SQLException {
            int i = first;
            statement.setString(i++, type);
            statement.setString(i++, status);
            statement.setInt(i++, attempts);
            ColumnCodec.setInstant(statement, i++, startedAt);
            ColumnCodec.setInstant(statement, i++, finishedAt);
            ColumnCodec.setJsonText(statement, i++, inputs);
            ColumnCodec.setJsonText(statement, i++, outputs);
            ColumnCodec.setJsonText(statement, i++, logs);
            ColumnCodec.setJsonText(statement, i++, error);
            statement.setBoolean(i, cached);
        }
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
                            codec.getLogs(row, "logs"), codec.getError(row, "error"), row.getBoolean("cached")));
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

    /** Node runs kept in the execution's row, each replaced by a row of the same node; other rows after them. */
    private static List<NodeRun> overlay(List<NodeRun> inRow, List<NodeRun> rows) {
        if (rows.isEmpty()) {
            return inRow;
        }
        java.util.Map<String, NodeRun> byNode = new java.util.LinkedHashMap<>();
        rows.forEach(run -> byNode.put(run.nodeId(), run));
        List<NodeRun> merged = new ArrayList<>(inRow.size() + rows.size());
        for (NodeRun run : inRow) {
            NodeRun saved = byNode.remove(run.nodeId());
            merged.add(saved != null ? saved : run);
        }
        merged.addAll(byNode.values());
        return merged;
    }

    private static Execution withNodeRuns(Execution e, List<NodeRun> nodes) {
        return new Execution(e.id(), e.workflowId(), e.workflowVersion(), e.status(), e.trigger(), e.input(),
                e.createdAt(), e.startedAt(), e.finishedAt(), e.outputs(), e.error(), nodes);
    }
}

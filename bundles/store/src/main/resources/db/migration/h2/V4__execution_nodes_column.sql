-- The node runs of an execution stored in one piece: one JSON array in the execution's row instead
-- of a node_runs row each. The store writes them so when an execution is inserted already final (a
-- batched run written once at its end), which saves a row, its index entry and undo-log entry per
-- node; node runs written one by one (persistence "steps") stay in node_runs. Keep in step with
-- ../postgresql/V4__execution_nodes_column.sql.
ALTER TABLE executions ADD COLUMN nodes CLOB;
-- H2 keeps a CLOB longer than this many characters outside its row, in a LOB map of its own: a
-- second write per value (H2's default is 256, less than most node runs). Persistent setting.
SET MAX_LENGTH_INPLACE_LOB 16384;

-- The node runs of an execution stored in one piece: one JSON array in the execution's row instead
-- of a node_runs row each (see ../h2/V4__execution_nodes_column.sql).
ALTER TABLE executions ADD COLUMN nodes JSON;

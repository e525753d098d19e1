-- Executions indexed by id instead of created_at, as the store SPI now lists them (newest first =
-- descending id, which the engine's time-ordered ids make creation order): one index less to write
-- per execution, and no timestamp comparisons in the two left. See ../h2/V5__executions_by_id.sql.
DROP INDEX executions_by_created_at;
DROP INDEX executions_by_workflow;
DROP INDEX executions_by_status;
CREATE INDEX executions_by_workflow ON executions (workflow_id, id DESC);
CREATE INDEX executions_by_status ON executions (status, id DESC);

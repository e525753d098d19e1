-- A node run whose outputs were served from the node result cache (option "cache": {"ttlSeconds": N}).
-- A constant default: PostgreSQL 11+ adds the column without rewriting the table.
ALTER TABLE node_runs ADD COLUMN cached BOOLEAN NOT NULL DEFAULT FALSE;

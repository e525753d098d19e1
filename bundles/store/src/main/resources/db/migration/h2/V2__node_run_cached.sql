-- A node run whose outputs were served from the node result cache (option "cache": {"ttlSeconds": N}).
ALTER TABLE node_runs ADD COLUMN cached BOOLEAN DEFAULT FALSE NOT NULL;

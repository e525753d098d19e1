-- Qflow store schema, PostgreSQL flavour. Keep in step with ../h2/V1__workflows_and_executions.sql.
-- JSON columns are `json`, not `jsonb`: json keeps the text as written (key order, number
-- spelling), so a stored workflow document exports exactly as it was given. Cast to jsonb to query.

CREATE TABLE workflows (
    id          VARCHAR(255)   NOT NULL PRIMARY KEY,
    version     INTEGER        NOT NULL,
    name        VARCHAR(1000)  NOT NULL,
    created_at  TIMESTAMPTZ(6) NOT NULL,
    updated_at  TIMESTAMPTZ(6) NOT NULL,
    document    JSON           NOT NULL
);
CREATE INDEX workflows_by_updated_at ON workflows (updated_at DESC, id);

-- No foreign key to workflows: the history of a deleted workflow stays readable.
CREATE TABLE executions (
    id                VARCHAR(64)    NOT NULL PRIMARY KEY,
    workflow_id       VARCHAR(255)   NOT NULL,
    workflow_version  INTEGER        NOT NULL,
    status            VARCHAR(16)    NOT NULL,
    trigger           VARCHAR(255)   NOT NULL,
    input             JSON,
    created_at        TIMESTAMPTZ(6) NOT NULL,
    started_at        TIMESTAMPTZ(6),
    finished_at       TIMESTAMPTZ(6),
    outputs           JSON,
    error             JSON
);
CREATE INDEX executions_by_created_at ON executions (created_at DESC, id DESC);
CREATE INDEX executions_by_workflow ON executions (workflow_id, created_at DESC, id DESC);
CREATE INDEX executions_by_status ON executions (status, created_at DESC, id DESC);

CREATE TABLE node_runs (
    execution_id  VARCHAR(64)    NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    node_id       VARCHAR(255)   NOT NULL,
    seq           INTEGER        NOT NULL,
    type          VARCHAR(255)   NOT NULL,
    status        VARCHAR(16)    NOT NULL,
    attempts      INTEGER        NOT NULL,
    started_at    TIMESTAMPTZ(6),
    finished_at   TIMESTAMPTZ(6),
    inputs        JSON,
    outputs       JSON,
    logs          JSON,
    error         JSON,
    PRIMARY KEY (execution_id, node_id)
);

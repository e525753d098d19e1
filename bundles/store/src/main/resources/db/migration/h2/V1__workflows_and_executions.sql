-- Qflow store schema, H2 flavour. Keep in step with ../postgresql/V1__workflows_and_executions.sql.
-- JSON is stored as text (CLOB) exactly as Jackson wrote it; statuses lower-case.

CREATE TABLE workflows (
    id          VARCHAR(255)                NOT NULL PRIMARY KEY,
    version     INTEGER                     NOT NULL,
    name        VARCHAR(1000)               NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    document    CLOB                        NOT NULL
);
CREATE INDEX workflows_by_updated_at ON workflows (updated_at DESC, id);

-- No foreign key to workflows: the history of a deleted workflow stays readable.
CREATE TABLE executions (
    id                VARCHAR(64)                 NOT NULL PRIMARY KEY,
    workflow_id       VARCHAR(255)                NOT NULL,
    workflow_version  INTEGER                     NOT NULL,
    status            VARCHAR(16)                 NOT NULL,
    trigger           VARCHAR(255)                NOT NULL,
    input             CLOB,
    created_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP(6) WITH TIME ZONE,
    finished_at       TIMESTAMP(6) WITH TIME ZONE,
    outputs           CLOB,
    error             CLOB
);
CREATE INDEX executions_by_created_at ON executions (created_at DESC, id DESC);
CREATE INDEX executions_by_workflow ON executions (workflow_id, created_at DESC, id DESC);
CREATE INDEX executions_by_status ON executions (status, created_at DESC, id DESC);

CREATE TABLE node_runs (
    execution_id  VARCHAR(64)                 NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    node_id       VARCHAR(255)                NOT NULL,
    seq           INTEGER                     NOT NULL,
    type          VARCHAR(255)                NOT NULL,
    status        VARCHAR(16)                 NOT NULL,
    attempts      INTEGER                     NOT NULL,
    started_at    TIMESTAMP(6) WITH TIME ZONE,
    finished_at   TIMESTAMP(6) WITH TIME ZONE,
    inputs        CLOB,
    outputs       CLOB,
    logs          CLOB,
    error         CLOB,
    PRIMARY KEY (execution_id, node_id)
);

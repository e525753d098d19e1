-- Small JSON documents by collection and key (engine SPI DocumentRepository): saved Python nodes,
-- workflow activations, trigger state. Keep in step with ../postgresql/V3__documents.sql.
CREATE TABLE documents (
    collection  VARCHAR(255)                NOT NULL,
    doc_key     VARCHAR(255)                NOT NULL,
    body        CLOB                        NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (collection, doc_key)
);

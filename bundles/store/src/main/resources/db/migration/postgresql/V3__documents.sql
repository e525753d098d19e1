-- Small JSON documents by collection and key (engine SPI DocumentRepository): saved Python nodes,
-- workflow activations, trigger state. Keep in step with ../h2/V3__documents.sql.
CREATE TABLE documents (
    collection  VARCHAR(255)  NOT NULL,
    doc_key     VARCHAR(255)  NOT NULL,
    body        JSON          NOT NULL,
    updated_at  TIMESTAMPTZ(6) NOT NULL,
    PRIMARY KEY (collection, doc_key)
);

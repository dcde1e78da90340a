-- Imports (issue #17): the uploaded file, only as the vault's encrypted stream in chunk rows, kept
-- until its job has run (or 7 days at most); the job's rows decide what is imported.
CREATE TABLE mamori_record_import (
    tenant_id   VARCHAR(36)  NOT NULL,
    id          VARCHAR(36)  NOT NULL,
    category    VARCHAR(40)  NOT NULL,
    format      VARCHAR(8)   NOT NULL,
    charset     VARCHAR(16)  NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(64)  NOT NULL,
    CONSTRAINT pk_mamori_record_import PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_mamori_record_import_time ON mamori_record_import (created_at);

CREATE TABLE mamori_record_import_chunk (
    tenant_id VARCHAR(36) NOT NULL,
    import_id VARCHAR(36) NOT NULL,
    gen       INTEGER     NOT NULL,
    seq       INTEGER     NOT NULL,
    data      BYTEA       NOT NULL,
    CONSTRAINT pk_mamori_record_import_chunk PRIMARY KEY (tenant_id, import_id, gen, seq),
    CONSTRAINT fk_mamori_record_import_chunk FOREIGN KEY (tenant_id, import_id) REFERENCES mamori_record_import (tenant_id, id)
        ON DELETE CASCADE
);

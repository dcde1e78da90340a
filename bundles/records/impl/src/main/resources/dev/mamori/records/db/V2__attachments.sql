-- Attachments (issue #17): metadata, the file name and hash only as vault ciphertext (meta), the
-- content as the vault's encrypted stream cut into chunk rows, so that any size streams in constant
-- memory on H2 and PostgreSQL alike, inside the unit of work. gen changes when a key rotation
-- re-encrypts the content: the new chunks are written beside the old ones, then the old go.
CREATE TABLE mamori_record_attachment (
    tenant_id   VARCHAR(36)  NOT NULL,
    id          VARCHAR(36)  NOT NULL,
    record_id   VARCHAR(36)  NOT NULL,
    media_type  VARCHAR(100) NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    meta        BYTEA        NOT NULL,
    gen         INTEGER      NOT NULL,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(64)  NOT NULL,
    CONSTRAINT pk_mamori_record_attachment PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_mamori_record_attachment FOREIGN KEY (tenant_id, record_id) REFERENCES mamori_record (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ix_mamori_record_attachment_record ON mamori_record_attachment (tenant_id, record_id);

CREATE TABLE mamori_record_attachment_chunk (
    tenant_id     VARCHAR(36) NOT NULL,
    attachment_id VARCHAR(36) NOT NULL,
    gen           INTEGER     NOT NULL,
    seq           INTEGER     NOT NULL,
    data          BYTEA       NOT NULL,
    CONSTRAINT pk_mamori_record_attachment_chunk PRIMARY KEY (tenant_id, attachment_id, gen, seq),
    CONSTRAINT fk_mamori_record_attachment_chunk FOREIGN KEY (tenant_id, attachment_id)
        REFERENCES mamori_record_attachment (tenant_id, id) ON DELETE CASCADE
);

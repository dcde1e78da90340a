-- Data keys (DEKs), only ever stored wrapped by a master key (CRY-3). One row per key version;
-- shredding destroys the wrapped bytes and keeps the row as the record of what was destroyed.
CREATE TABLE mamori_vault_data_key (
    key_id       VARCHAR(36)  NOT NULL,
    version      INTEGER      NOT NULL,
    tenant_id    VARCHAR(36)  NOT NULL,
    purpose      VARCHAR(16)  NOT NULL,
    kek_id       VARCHAR(64),
    wrapped      VARCHAR(512),
    state        VARCHAR(12)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    destroyed_at BIGINT,
    CONSTRAINT pk_mamori_vault_data_key PRIMARY KEY (key_id, version),
    CONSTRAINT uq_mamori_vault_data_key UNIQUE (tenant_id, purpose, version),
    CONSTRAINT ck_mamori_vault_data_key_state CHECK (state IN ('ACTIVE', 'RETIRED', 'DESTROYED'))
);

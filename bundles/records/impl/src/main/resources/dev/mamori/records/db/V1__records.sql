-- Records (issue #17): categories with their JSON Schemas, records whose payload is only ever vault
-- ciphertext (CRY-2, bound to tenant, record and version), labels to find them by, and the purge
-- ledger that outlives what it names (RET-3). Every key starts with the tenant. Instants are epoch ms.
CREATE TABLE mamori_record_category (
    tenant_id      VARCHAR(36)    NOT NULL,
    name           VARCHAR(40)    NOT NULL,
    title          VARCHAR(200)   NOT NULL,
    schema_json    VARCHAR(65536) NOT NULL,
    retention_days INTEGER,
    on_erasure     VARCHAR(16)    NOT NULL,
    version        BIGINT         NOT NULL,
    created_at     BIGINT         NOT NULL,
    updated_at     BIGINT         NOT NULL,
    CONSTRAINT pk_mamori_record_category PRIMARY KEY (tenant_id, name)
);

-- deleted_at set = in the trash: out of every normal view, purged for good once purge_after passed
CREATE TABLE mamori_record (
    tenant_id   VARCHAR(36)  NOT NULL,
    id          VARCHAR(36)  NOT NULL,
    category    VARCHAR(40)  NOT NULL,
    subject     VARCHAR(64)  NOT NULL,
    scope       VARCHAR(330),
    payload     BYTEA        NOT NULL,
    version     BIGINT       NOT NULL,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(64)  NOT NULL,
    updated_at  BIGINT       NOT NULL,
    updated_by  VARCHAR(64)  NOT NULL,
    deleted_at  BIGINT,
    deleted_by  VARCHAR(64),
    purge_after BIGINT,
    CONSTRAINT pk_mamori_record PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_mamori_record_category FOREIGN KEY (tenant_id, category) REFERENCES mamori_record_category (tenant_id, name)
);
CREATE INDEX ix_mamori_record_subject ON mamori_record (tenant_id, subject);
CREATE INDEX ix_mamori_record_updated ON mamori_record (tenant_id, updated_at, id);
CREATE INDEX ix_mamori_record_purge ON mamori_record (purge_after);

CREATE TABLE mamori_record_label (
    tenant_id VARCHAR(36) NOT NULL,
    record_id VARCHAR(36) NOT NULL,
    label     VARCHAR(64) NOT NULL,
    CONSTRAINT pk_mamori_record_label PRIMARY KEY (tenant_id, record_id, label),
    CONSTRAINT fk_mamori_record_label FOREIGN KEY (tenant_id, record_id) REFERENCES mamori_record (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ix_mamori_record_label ON mamori_record_label (tenant_id, label);

-- What was purged for good (ids, never contents), kept apart from the records so that a backup
-- restored later can purge again what was purged after it was taken (RET-3).
CREATE TABLE mamori_purge_ledger (
    id         VARCHAR(36)  NOT NULL,
    tenant_id  VARCHAR(36)  NOT NULL,
    kind       VARCHAR(32)  NOT NULL,
    target_id  VARCHAR(36)  NOT NULL,
    category   VARCHAR(40),
    reason     VARCHAR(32)  NOT NULL,
    actor_id   VARCHAR(64),
    purged_at  BIGINT       NOT NULL,
    CONSTRAINT pk_mamori_purge_ledger PRIMARY KEY (id)
);
CREATE INDEX ix_mamori_purge_ledger_time ON mamori_purge_ledger (tenant_id, purged_at);

-- One key per person for names and contact data (CRY-4), on the separate PII store; only
-- ever stored wrapped by the master key. Erasing a person (IAM-5) destroys the wrapped key.
CREATE TABLE mamori_vault_person_key (
    key_id       VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id    VARCHAR(36)  NOT NULL,
    person_id    VARCHAR(64)  NOT NULL,
    kek_id       VARCHAR(64),
    wrapped      VARCHAR(512),
    state        VARCHAR(12)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    destroyed_at BIGINT,
    CONSTRAINT uq_mamori_vault_person_key UNIQUE (tenant_id, person_id),
    CONSTRAINT ck_mamori_vault_person_key_state CHECK (state IN ('ACTIVE', 'DESTROYED'))
);

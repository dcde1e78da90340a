-- Key cut-offs (CRY-5): after one, no earlier copy of the key tables unwraps anything.
CREATE TABLE mamori_vault_cutoff (
    cutoff_id      VARCHAR(36)   NOT NULL PRIMARY KEY,
    kek_id         VARCHAR(64)   NOT NULL,
    destroyed_keks VARCHAR(2000) NOT NULL,
    rewrapped      INTEGER       NOT NULL,
    escrow         VARCHAR(1000) NOT NULL,
    at_millis      BIGINT        NOT NULL
);
-- Background re-encryption jobs, checkpointed per participant so that a restart resumes them.
CREATE TABLE mamori_vault_reencrypt_job (
    job_id         VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id      VARCHAR(36)   NOT NULL,
    purpose        VARCHAR(16)   NOT NULL,
    target_version INTEGER       NOT NULL,
    state          VARCHAR(12)   NOT NULL,
    retired        VARCHAR(1000),
    started_at     BIGINT        NOT NULL,
    finished_at    BIGINT,
    detail         VARCHAR(1000),
    CONSTRAINT ck_mamori_vault_reencrypt_job_state CHECK (state IN ('RUNNING', 'DONE', 'FAILED'))
);
CREATE TABLE mamori_vault_reencrypt_cursor (
    job_id       VARCHAR(36)   NOT NULL,
    participant  VARCHAR(100)  NOT NULL,
    cursor_value VARCHAR(1024),
    done         BOOLEAN       NOT NULL,
    processed    BIGINT        NOT NULL,
    CONSTRAINT pk_mamori_vault_reencrypt_cursor PRIMARY KEY (job_id, participant),
    CONSTRAINT fk_mamori_vault_reencrypt_cursor FOREIGN KEY (job_id) REFERENCES mamori_vault_reencrypt_job (job_id)
);

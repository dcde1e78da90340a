-- Versions retired by re-encryption are ARCHIVED: kept (wrapped, escrowed) for restoring backups
-- taken before the re-encryption, destroyed once those backups have expired.
ALTER TABLE mamori_vault_data_key DROP CONSTRAINT ck_mamori_vault_data_key_state;
ALTER TABLE mamori_vault_data_key ADD CONSTRAINT ck_mamori_vault_data_key_state
    CHECK (state IN ('ACTIVE', 'RETIRED', 'ARCHIVED', 'DESTROYED'));
ALTER TABLE mamori_vault_data_key ADD COLUMN archived_at BIGINT;
-- A destroyed key still present in older copies of the key tables until a cut-off has run.
ALTER TABLE mamori_vault_data_key ADD COLUMN cut_off BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE mamori_vault_reencrypt_job DROP CONSTRAINT ck_mamori_vault_reencrypt_job_state;
ALTER TABLE mamori_vault_reencrypt_job ADD CONSTRAINT ck_mamori_vault_reencrypt_job_state
    CHECK (state IN ('RUNNING', 'DONE', 'FAILED', 'CANCELLED'));
-- Every component ever seen holding ciphertext of a purpose: a re-encryption waits for all of them.
CREATE TABLE mamori_vault_participant (
    name       VARCHAR(100) NOT NULL,
    purpose    VARCHAR(16)  NOT NULL,
    first_seen BIGINT       NOT NULL,
    CONSTRAINT pk_mamori_vault_participant PRIMARY KEY (name, purpose)
);

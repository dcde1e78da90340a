-- Signing keys (Ed25519, issue #15): one key per owner (a tenant id, or 'platform') and purpose,
-- one row per version. The private seed only wrapped by a master key like a data key, bound to the
-- public key beside it; rotation retires a version (it keeps verifying), shredding destroys it.
CREATE TABLE mamori_vault_signing_key (
    key_id       VARCHAR(36)  NOT NULL,
    version      INTEGER      NOT NULL,
    tenant_id    VARCHAR(36)  NOT NULL,
    purpose      VARCHAR(64)  NOT NULL,
    public_key   VARCHAR(64)  NOT NULL,
    kek_id       VARCHAR(64),
    wrapped      VARCHAR(512),
    state        VARCHAR(12)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    retired_at   BIGINT,
    destroyed_at BIGINT,
    cut_off      BOOLEAN      DEFAULT FALSE NOT NULL,
    CONSTRAINT pk_mamori_vault_signing_key PRIMARY KEY (key_id, version),
    CONSTRAINT uq_mamori_vault_signing_key UNIQUE (tenant_id, purpose, version),
    CONSTRAINT ck_mamori_vault_signing_key_state CHECK (state IN ('ACTIVE', 'RETIRED', 'DESTROYED'))
);

-- Files jobs produced (issue #15 point 4): the content only ever encrypted by the vault under the
-- job's tenant's attachments key, bound to job, name and hash; removed once expired (hourly job).
-- Keyed by tenant first: a row another tenant's code wrote under a job id is never that job's.
-- BYTEA is PostgreSQL's binary type and one of H2's names for BINARY VARYING. Instants are epoch ms.
CREATE TABLE mamori_job_artifact (
    job_id      VARCHAR(36)  NOT NULL,
    name        VARCHAR(100) NOT NULL,
    tenant_id   VARCHAR(36)  NOT NULL,
    media_type  VARCHAR(100) NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    sha256      VARCHAR(64)  NOT NULL,
    content     BYTEA        NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    CONSTRAINT pk_mamori_job_artifact PRIMARY KEY (tenant_id, job_id, name)
);
CREATE INDEX ix_mamori_job_artifact_expiry ON mamori_job_artifact (expires_at);

-- Artifacts of any size (exports, issue #17): written as a stream through the vault's stream cipher
-- into 256 KiB chunk rows instead of one whole blob. A streamed artifact's row has no content and
-- names its stream; the chunks of a stream whose write did not finish have no row and are purged.
ALTER TABLE mamori_job_artifact ALTER COLUMN content DROP NOT NULL;
ALTER TABLE mamori_job_artifact ADD COLUMN stream_id VARCHAR(36);
CREATE TABLE mamori_job_artifact_chunk (
    stream_id   VARCHAR(36)  NOT NULL,
    seq         INTEGER      NOT NULL,
    tenant_id   VARCHAR(36)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    data        BYTEA        NOT NULL,
    CONSTRAINT pk_mamori_job_artifact_chunk PRIMARY KEY (stream_id, seq)
);
CREATE INDEX ix_mamori_job_artifact_chunk_age ON mamori_job_artifact_chunk (created_at);

-- A cancel is first recorded here, without waiting for the job's row: the runner checks for it
-- under the row at the start of every step, so no step starts after a cancel was asked for.
CREATE TABLE mamori_job_cancel (
    job_id       VARCHAR(36)  NOT NULL PRIMARY KEY,
    requested_at BIGINT       NOT NULL,
    requested_by VARCHAR(200)
);

-- Durable jobs (JobService). One row per job; the runner holds the row (SELECT ... FOR UPDATE) for
-- each step and leases it (owner_node, lease_until) between steps, so one node at a time runs it.
-- Instants are epoch milliseconds (UTC).
CREATE TABLE mamori_job (
    id            VARCHAR(36)     NOT NULL PRIMARY KEY,
    job_type      VARCHAR(100)    NOT NULL,
    job_key       VARCHAR(200),
    -- the key while the job is open, NULL once DONE or CANCELLED: one open job per type and key
    open_key      VARCHAR(200),
    tenant_id     VARCHAR(36),
    parameters    VARCHAR(4000)   NOT NULL,
    state         VARCHAR(12)     NOT NULL,
    cursor_value  VARCHAR(100000),
    done_count    BIGINT          NOT NULL,
    total_count   BIGINT,
    detail        VARCHAR(1000),
    result_value  VARCHAR(1000),
    requested_by  VARCHAR(200),
    owner_node    VARCHAR(100),
    lease_until   BIGINT,
    next_run_at   BIGINT          NOT NULL,
    created_at    BIGINT          NOT NULL,
    updated_at    BIGINT          NOT NULL,
    finished_at   BIGINT,
    CONSTRAINT uq_mamori_job_open UNIQUE (job_type, open_key),
    CONSTRAINT ck_mamori_job_state CHECK (state IN ('QUEUED', 'RUNNING', 'WAITING', 'DONE', 'FAILED', 'CANCELLED'))
);
CREATE INDEX ix_mamori_job_due ON mamori_job (state, next_run_at);
CREATE INDEX ix_mamori_job_created ON mamori_job (created_at);

-- Cron schedules: the node that moves next_fire_at on (compare-and-set) submits the run.
CREATE TABLE mamori_job_schedule (
    job_type     VARCHAR(100) NOT NULL PRIMARY KEY,
    expression   VARCHAR(200) NOT NULL,
    next_fire_at BIGINT       NOT NULL
);

-- Announcements (NTF-4..6, OPS-5): written by operators for all tenants, named tenants or plans,
-- sent at send_at; the tenants each went to (the history tenant admins read, and which tenants a
-- maintenance window excludes from the SLA). Instants are epoch ms.
CREATE TABLE mamori_announcement (
    id                VARCHAR(36)   NOT NULL,
    kind              VARCHAR(20)   NOT NULL,
    title             VARCHAR(200)  NOT NULL,
    body              VARCHAR(4000) NOT NULL,
    all_tenants       BOOLEAN       NOT NULL,
    send_at           BIGINT        NOT NULL,
    sent_at           BIGINT,
    cancelled_at      BIGINT,
    recipients        INTEGER       NOT NULL,
    maintenance_start BIGINT,
    maintenance_end   BIGINT,
    created_at        BIGINT        NOT NULL,
    created_by        VARCHAR(64)   NOT NULL,
    CONSTRAINT pk_mamori_announcement PRIMARY KEY (id)
);
CREATE INDEX ix_mamori_announcement_due ON mamori_announcement (sent_at, send_at);

-- what an announcement was addressed to: kind 'tenant' (an id) or 'plan' (a plan name)
CREATE TABLE mamori_announcement_target (
    announcement_id VARCHAR(36) NOT NULL,
    kind            VARCHAR(8)  NOT NULL,
    target          VARCHAR(64) NOT NULL,
    CONSTRAINT pk_mamori_announcement_target PRIMARY KEY (announcement_id, kind, target),
    CONSTRAINT fk_mamori_announcement_target FOREIGN KEY (announcement_id) REFERENCES mamori_announcement (id)
);

-- the tenants it went to
CREATE TABLE mamori_announcement_tenant (
    announcement_id VARCHAR(36) NOT NULL,
    tenant_id       VARCHAR(36) NOT NULL,
    CONSTRAINT pk_mamori_announcement_tenant PRIMARY KEY (announcement_id, tenant_id),
    CONSTRAINT fk_mamori_announcement_tenant FOREIGN KEY (announcement_id) REFERENCES mamori_announcement (id)
);
CREATE INDEX ix_mamori_announcement_tenant ON mamori_announcement_tenant (tenant_id, announcement_id);

-- Availability (OPS-5): one row per minute in which a probe ran, ready if any node was ready then; a
-- minute without a row is a minute the server was not there to answer.
CREATE TABLE mamori_availability (
    minute_at BIGINT       NOT NULL,
    ready     BOOLEAN      NOT NULL,
    node      VARCHAR(100) NOT NULL,
    failing   VARCHAR(500),
    CONSTRAINT pk_mamori_availability PRIMARY KEY (minute_at)
);

-- the monthly ledger: each month's figures once it ended, for the platform ('') and each tenant
CREATE TABLE mamori_sla_month (
    month_key   VARCHAR(7)   NOT NULL,
    tenant_id   VARCHAR(36)  NOT NULL,
    measured    BIGINT       NOT NULL,
    down        BIGINT       NOT NULL,
    maintenance BIGINT       NOT NULL,
    percent     VARCHAR(12),
    below       BOOLEAN      NOT NULL,
    computed_at BIGINT       NOT NULL,
    CONSTRAINT pk_mamori_sla_month PRIMARY KEY (month_key, tenant_id)
);

-- an incident's service outage, for its affected tenants' availability
ALTER TABLE mamori_incident ADD COLUMN outage_start BIGINT;
ALTER TABLE mamori_incident ADD COLUMN outage_end BIGINT;
ALTER TABLE mamori_incident ADD COLUMN affected_categories VARCHAR(2000);

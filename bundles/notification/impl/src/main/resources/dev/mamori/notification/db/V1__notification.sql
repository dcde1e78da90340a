-- Notifications (issue #19): the outbox (a notification, written in its sender's unit of work), one
-- delivery per recipient and channel (recipients are account ids, never addresses: those are read
-- from the personal-data store only to send), in-app notices, incidents with their affected tenants
-- and the alerts their clocks raised. Instants are epoch ms.
CREATE TABLE mamori_notification (
    id          VARCHAR(36)    NOT NULL,
    template    VARCHAR(64)    NOT NULL,
    audience    VARCHAR(16)    NOT NULL,
    tenant_id   VARCHAR(36),
    user_id     VARCHAR(64),
    channels    VARCHAR(200)   NOT NULL,
    vals        VARCHAR(65536) NOT NULL,
    incident_id VARCHAR(36),
    created_at  BIGINT         NOT NULL,
    created_by  VARCHAR(64)    NOT NULL,
    expanded_at BIGINT,
    CONSTRAINT pk_mamori_notification PRIMARY KEY (id)
);
CREATE INDEX ix_mamori_notification_pending ON mamori_notification (expanded_at, created_at);

CREATE TABLE mamori_delivery (
    id              VARCHAR(36)  NOT NULL,
    notification_id VARCHAR(36)  NOT NULL,
    tenant_id       VARCHAR(36),
    recipient       VARCHAR(80)  NOT NULL,
    channel         VARCHAR(40)  NOT NULL,
    state           VARCHAR(10)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    queued_at       BIGINT       NOT NULL,
    next_at         BIGINT       NOT NULL,
    sent_at         BIGINT,
    answer          VARCHAR(500),
    CONSTRAINT pk_mamori_delivery PRIMARY KEY (id),
    CONSTRAINT uq_mamori_delivery UNIQUE (notification_id, channel, recipient),
    CONSTRAINT fk_mamori_delivery_notification FOREIGN KEY (notification_id) REFERENCES mamori_notification (id)
);
CREATE INDEX ix_mamori_delivery_due ON mamori_delivery (state, next_at);
CREATE INDEX ix_mamori_delivery_tenant ON mamori_delivery (tenant_id, queued_at);
CREATE INDEX ix_mamori_delivery_queued ON mamori_delivery (queued_at);

CREATE TABLE mamori_notice (
    tenant_id       VARCHAR(36)   NOT NULL,
    id              VARCHAR(36)   NOT NULL,
    user_id         VARCHAR(64)   NOT NULL,
    notification_id VARCHAR(36)   NOT NULL,
    template        VARCHAR(64)   NOT NULL,
    subject         VARCHAR(400)  NOT NULL,
    body            VARCHAR(20000) NOT NULL,
    created_at      BIGINT        NOT NULL,
    read_at         BIGINT,
    CONSTRAINT pk_mamori_notice PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_mamori_notice UNIQUE (notification_id, user_id)
);
CREATE INDEX ix_mamori_notice_user ON mamori_notice (tenant_id, user_id, created_at);

CREATE TABLE mamori_incident (
    id             VARCHAR(36)   NOT NULL,
    title          VARCHAR(200)  NOT NULL,
    status         VARCHAR(12)   NOT NULL,
    discovered_at  BIGINT        NOT NULL,
    opened_at      BIGINT        NOT NULL,
    opened_by      VARCHAR(64)   NOT NULL,
    summary        VARCHAR(4000) NOT NULL,
    cause          VARCHAR(4000),
    response       VARCHAR(4000),
    unlawful       BOOLEAN       NOT NULL,
    all_tenants    BOOLEAN       NOT NULL,
    notices_sent   INTEGER       NOT NULL,
    last_update_at BIGINT,
    closed_at      BIGINT,
    version        BIGINT        NOT NULL,
    updated_at     BIGINT        NOT NULL,
    CONSTRAINT pk_mamori_incident PRIMARY KEY (id)
);

-- noticed_at: when the first e-mail of the incident's notice reached one of the tenant's admins
CREATE TABLE mamori_incident_tenant (
    incident_id VARCHAR(36) NOT NULL,
    tenant_id   VARCHAR(36) NOT NULL,
    noticed_at  BIGINT,
    CONSTRAINT pk_mamori_incident_tenant PRIMARY KEY (incident_id, tenant_id),
    CONSTRAINT fk_mamori_incident_tenant FOREIGN KEY (incident_id) REFERENCES mamori_incident (id)
);

-- one alert per clock, deadline and threshold (the progress clock's deadline moves with each update)
CREATE TABLE mamori_incident_alert (
    incident_id       VARCHAR(36) NOT NULL,
    clock             VARCHAR(20) NOT NULL,
    due_at            BIGINT      NOT NULL,
    threshold_minutes INTEGER     NOT NULL,
    alerted_at        BIGINT      NOT NULL,
    CONSTRAINT pk_mamori_incident_alert PRIMARY KEY (incident_id, clock, due_at, threshold_minutes)
);

-- Tenant users (IAM-1..3, IAM-7, IAM-9, IAM-11). No personal data here: names and contact data are
-- on the PII DataSource (CRY-4); e-mail is found through a keyed blind index. Instants are epoch
-- milliseconds (UTC). tenant_id is the EclipseLink tenant discriminator.
CREATE TABLE mamori_auth_user (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id           VARCHAR(36)   NOT NULL,
    login_name          VARCHAR(64)   NOT NULL,
    employee_number     VARCHAR(64),
    email_index         VARCHAR(64),
    roles               VARCHAR(200)  NOT NULL,
    permissions         VARCHAR(4000) NOT NULL,
    state               VARCHAR(16)   NOT NULL,
    password_hash       VARCHAR(80),
    password_changed_at BIGINT,
    failed_count        INT           NOT NULL,
    locked_at           BIGINT,
    mfa_secret          VARCHAR(400),
    mfa_pending         VARCHAR(400),
    mfa_last_step       BIGINT        NOT NULL,
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL,
    version             BIGINT        NOT NULL,
    CONSTRAINT uq_mamori_auth_user_login UNIQUE (tenant_id, login_name),
    CONSTRAINT uq_mamori_auth_user_employee UNIQUE (tenant_id, employee_number),
    CONSTRAINT uq_mamori_auth_user_email UNIQUE (tenant_id, email_index),
    CONSTRAINT ck_mamori_auth_user_state CHECK (state IN ('ACTIVE', 'DEACTIVATED', 'ERASED')),
    CONSTRAINT fk_mamori_auth_user_tenant FOREIGN KEY (tenant_id) REFERENCES mamori_tenant (id)
);

-- Single-use recovery codes, stored as SHA-256 of the code (IAM-14).
CREATE TABLE mamori_auth_recovery_code (
    code_hash  VARCHAR(64) NOT NULL PRIMARY KEY,
    tenant_id  VARCHAR(36) NOT NULL,
    user_id    VARCHAR(36) NOT NULL,
    created_at BIGINT      NOT NULL,
    CONSTRAINT fk_mamori_auth_recovery_user FOREIGN KEY (user_id) REFERENCES mamori_auth_user (id)
);
CREATE INDEX ix_mamori_auth_recovery_user ON mamori_auth_recovery_code (user_id);

-- Single-use, short-lived password reset tokens, stored as SHA-256 of the token (IAM-14).
CREATE TABLE mamori_auth_reset_token (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    tenant_id  VARCHAR(36) NOT NULL,
    user_id    VARCHAR(36) NOT NULL,
    expires_at BIGINT      NOT NULL,
    CONSTRAINT fk_mamori_auth_reset_user FOREIGN KEY (user_id) REFERENCES mamori_auth_user (id)
);
CREATE INDEX ix_mamori_auth_reset_user ON mamori_auth_reset_token (user_id);

-- The tenant's IP allow-list (IAM-12); no rows = unrestricted.
CREATE TABLE mamori_auth_ip_range (
    id        VARCHAR(36) NOT NULL PRIMARY KEY,
    tenant_id VARCHAR(36) NOT NULL,
    cidr      VARCHAR(64) NOT NULL,
    position  INT         NOT NULL,
    CONSTRAINT uq_mamori_auth_ip_range UNIQUE (tenant_id, cidr),
    CONSTRAINT fk_mamori_auth_ip_range_tenant FOREIGN KEY (tenant_id) REFERENCES mamori_tenant (id)
);

-- Sessions of every tenant, found by the SHA-256 of the token before the tenant is known, so any
-- node serves any request (SEC-4, OPS-4). The token itself is never stored.
CREATE TABLE mamori_auth_session (
    token_hash   VARCHAR(64)  NOT NULL PRIMARY KEY,
    session_id   VARCHAR(16)  NOT NULL,
    tenant_id    VARCHAR(36)  NOT NULL,
    user_id      VARCHAR(36)  NOT NULL,
    roles        VARCHAR(200) NOT NULL,
    state        VARCHAR(32)  NOT NULL,
    client_ip    VARCHAR(64),
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT       NOT NULL,
    CONSTRAINT ck_mamori_auth_session_state CHECK (state IN ('MFA_REQUIRED', 'MFA_ENROLMENT_REQUIRED', 'AUTHENTICATED'))
);
CREATE INDEX ix_mamori_auth_session_user ON mamori_auth_session (tenant_id, user_id);
CREATE INDEX ix_mamori_auth_session_seen ON mamori_auth_session (last_seen_at);

-- Tenant users (IAM-1..3, IAM-7, IAM-9, IAM-11, IAM-14): recovery codes and the reset token are
-- SHA-256 hashes, the TOTP secret is encrypted by the vault. No personal data here: names and contact data are
-- on the PII DataSource (CRY-4); e-mail is found through a keyed blind index. Instants are epoch
-- milliseconds (UTC). tenant_id is the EclipseLink tenant discriminator; no foreign key to the
-- tenant capability's table: schemas of two bundles migrate in no fixed order, and tenants are
-- never deleted as rows.
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
    recovery_codes      VARCHAR(1000),
    reset_hash          VARCHAR(64),
    reset_expires_at    BIGINT,
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL,
    version             BIGINT        NOT NULL,
    CONSTRAINT uq_mamori_auth_user_login UNIQUE (tenant_id, login_name),
    CONSTRAINT uq_mamori_auth_user_employee UNIQUE (tenant_id, employee_number),
    CONSTRAINT uq_mamori_auth_user_email UNIQUE (tenant_id, email_index),
    CONSTRAINT ck_mamori_auth_user_state CHECK (state IN ('ACTIVE', 'DEACTIVATED', 'ERASED')),
    CONSTRAINT uq_mamori_auth_user_reset UNIQUE (reset_hash)
);

-- Operators and support (OPS-1..3): bound to no tenant, same secrets as tenant users. Recovery
-- codes and the reset token are SHA-256 hashes, the TOTP secret is encrypted by the vault.
CREATE TABLE mamori_auth_platform_account (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    login_name          VARCHAR(64)   NOT NULL,
    roles               VARCHAR(200)  NOT NULL,
    state               VARCHAR(16)   NOT NULL,
    password_hash       VARCHAR(80),
    password_changed_at BIGINT,
    failed_count        INT           NOT NULL,
    locked_at           BIGINT,
    mfa_secret          VARCHAR(400),
    mfa_pending         VARCHAR(400),
    mfa_last_step       BIGINT        NOT NULL,
    recovery_codes      VARCHAR(1000),
    reset_hash          VARCHAR(64),
    reset_expires_at    BIGINT,
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL,
    version             BIGINT        NOT NULL,
    CONSTRAINT uq_mamori_auth_platform_login UNIQUE (login_name),
    CONSTRAINT uq_mamori_auth_platform_reset UNIQUE (reset_hash),
    CONSTRAINT ck_mamori_auth_platform_state CHECK (state IN ('ACTIVE', 'DEACTIVATED'))
);

-- The tenant's IP allow-list (IAM-12); no rows = unrestricted.
CREATE TABLE mamori_auth_ip_range (
    id        VARCHAR(36) NOT NULL PRIMARY KEY,
    tenant_id VARCHAR(36) NOT NULL,
    cidr      VARCHAR(64) NOT NULL,
    position  INT         NOT NULL,
    CONSTRAINT uq_mamori_auth_ip_range UNIQUE (tenant_id, cidr)
);

-- Sessions of every tenant and of the platform accounts (tenant_id NULL), found by the SHA-256 of the token before the tenant is known, so any
-- node serves any request (SEC-4, OPS-4). The token itself is never stored.
CREATE TABLE mamori_auth_session (
    token_hash   VARCHAR(64)  NOT NULL PRIMARY KEY,
    session_id   VARCHAR(16)  NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    tenant_id    VARCHAR(36),
    user_id      VARCHAR(36)  NOT NULL,
    roles        VARCHAR(200) NOT NULL,
    state        VARCHAR(32)  NOT NULL,
    client_ip    VARCHAR(64),
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT       NOT NULL,
    CONSTRAINT ck_mamori_auth_session_state CHECK (state IN ('MFA_REQUIRED', 'MFA_ENROLMENT_REQUIRED', 'AUTHENTICATED')),
    CONSTRAINT ck_mamori_auth_session_kind CHECK (kind IN ('USER', 'OPERATOR', 'SUPPORT')),
    CONSTRAINT ck_mamori_auth_session_tenant CHECK ((kind = 'USER') = (tenant_id IS NOT NULL))
);
CREATE INDEX ix_mamori_auth_session_user ON mamori_auth_session (tenant_id, user_id);
CREATE INDEX ix_mamori_auth_session_seen ON mamori_auth_session (last_seen_at);

-- Tenants and their contract record (TEN-2, TEN-8). Instants are epoch milliseconds (UTC),
-- portable across H2 and PostgreSQL; they are shown in the configured zone.
CREATE TABLE mamori_tenant (
    id               VARCHAR(36)  NOT NULL PRIMARY KEY,
    slug             VARCHAR(63)  NOT NULL,
    display_name     VARCHAR(200) NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    plan             VARCHAR(40)  NOT NULL,
    region           VARCHAR(16)  NOT NULL,
    trial_ends_on    DATE,
    contract_start   DATE,
    contract_end     DATE,
    termination_date DATE,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    state_changed_at BIGINT       NOT NULL,
    version          BIGINT       NOT NULL,
    CONSTRAINT uq_mamori_tenant_slug UNIQUE (slug),
    CONSTRAINT ck_mamori_tenant_state CHECK (state IN ('TRIAL', 'ACTIVE', 'EXPIRED', 'DELETED', 'PURGED'))
);

-- A tenant's own configuration (TEN-7); tenant_id is the EclipseLink tenant discriminator.
CREATE TABLE mamori_tenant_setting (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id     VARCHAR(36)   NOT NULL,
    setting_key   VARCHAR(100)  NOT NULL,
    setting_value VARCHAR(4000) NOT NULL,
    updated_at    BIGINT        NOT NULL,
    CONSTRAINT uq_mamori_tenant_setting UNIQUE (tenant_id, setting_key),
    CONSTRAINT fk_mamori_tenant_setting_tenant FOREIGN KEY (tenant_id) REFERENCES mamori_tenant (id)
);

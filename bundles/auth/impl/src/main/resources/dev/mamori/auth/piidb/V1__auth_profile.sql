-- Personal data of tenant users (IAM-4), only on the PII DataSource (CRY-4), encrypted with the
-- person's own key: erasing the person destroys the key, and the row goes too (IAM-5).
CREATE TABLE mamori_auth_profile (
    user_id    VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id  VARCHAR(36)   NOT NULL,
    data       VARCHAR(8000) NOT NULL,
    updated_at BIGINT        NOT NULL
);
CREATE INDEX ix_mamori_auth_profile_tenant ON mamori_auth_profile (tenant_id);

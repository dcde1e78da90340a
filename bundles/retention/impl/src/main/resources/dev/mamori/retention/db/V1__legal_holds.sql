-- Legal holds (RET-5, TEN-5): never deleted; a release is recorded on the row, by whom and why.
CREATE TABLE mamori_legal_hold (
    id             VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id      VARCHAR(36)  NOT NULL,
    scope          VARCHAR(16)  NOT NULL,
    val            VARCHAR(100),
    reason         VARCHAR(500) NOT NULL,
    placed_by      VARCHAR(100) NOT NULL,
    placed_by_kind VARCHAR(16)  NOT NULL,
    placed_at      BIGINT       NOT NULL,
    released_by    VARCHAR(100),
    released_at    BIGINT,
    release_reason VARCHAR(500)
);
CREATE INDEX mamori_legal_hold_tenant ON mamori_legal_hold (tenant_id, released_at);

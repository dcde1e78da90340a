-- A job key is unique per tenant (issue #15 review): the open key is '<tenant id or ->|<key>', so that
-- one tenant can neither take nor probe another's key (nor the platform's).
ALTER TABLE mamori_job ALTER COLUMN open_key SET DATA TYPE VARCHAR(240);
UPDATE mamori_job SET open_key = COALESCE(tenant_id, '-') || '|' || open_key WHERE open_key IS NOT NULL;

-- Typed jobs (issue #15 point 4): parameters and cursor are JSON of a declared type, whose name is
-- kept with the job; the submitter (principal kind, id, tenant, roles) is what the steps run as.
ALTER TABLE mamori_job ADD COLUMN parameters_type VARCHAR(300);
ALTER TABLE mamori_job ADD COLUMN submitter VARCHAR(2000);
-- a tenant's jobs, newest first (tenant admins list them)
CREATE INDEX ix_mamori_job_tenant ON mamori_job (tenant_id, created_at);

-- Re-encryption jobs now run as platform jobs (mamori_job): the job table goes; each component's
-- progress is part of the job's checkpoint.
DROP TABLE mamori_vault_reencrypt_cursor;
DROP TABLE mamori_vault_reencrypt_job;

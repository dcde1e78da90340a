-- Checks of a secret in progress (IAM-9, SEC-12, OPS-4), apart from failed_count (consecutive failed checks):
-- each check reserves one before the secret is read and gives it back once, as a failure or a success, so a
-- success ends the count of failures without taking back another check's reservation. pending_at is when the
-- newest was taken (epoch milliseconds): reservations of a node that died mid-check lapse after a while.
ALTER TABLE mamori_auth_user ADD COLUMN pending_count INT DEFAULT 0 NOT NULL;
ALTER TABLE mamori_auth_user ADD COLUMN pending_at BIGINT;
ALTER TABLE mamori_auth_platform_account ADD COLUMN pending_count INT DEFAULT 0 NOT NULL;
ALTER TABLE mamori_auth_platform_account ADD COLUMN pending_at BIGINT;

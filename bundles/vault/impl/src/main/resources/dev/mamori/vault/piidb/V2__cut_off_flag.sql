-- A destroyed person key still present in older copies of the key tables until a cut-off has run.
ALTER TABLE mamori_vault_person_key ADD COLUMN cut_off BOOLEAN DEFAULT FALSE NOT NULL;

-- Keys destroyed before the last cut-off are already out of reach of older copies: no cut-off is owed.
UPDATE mamori_vault_data_key SET cut_off = TRUE
    WHERE state = 'DESTROYED' AND destroyed_at <= (SELECT MAX(at_millis) FROM mamori_vault_cutoff);

package dev.mamori.retention;

import java.time.LocalDate;

import org.osgi.annotation.versioning.ProviderType;

/** The tenant calendar (TEN-3..5) and its dry run. */
@ProviderType
public interface RetentionService {
    /**
     * The dry run: what the calendar would have done by the end of {@code at}, from the tenants as
     * they are now; nothing is changed.
     *
     * @param at a day from today to ten years ahead (configured zone); null for today
     * @return the plan: every tenant's for operators, their own tenant's for a tenant's admins
     */
    RetentionPlan plan(LocalDate at);
}

package dev.mamori.retention;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Legal holds (RET-5, TEN-5): placed by a tenant's admins on their own tenant or by operators
 * answering a legal request, released by whom and why, each recorded in the audit log. Every rule
 * that deletes or purges asks {@link #held} first.
 */
@ProviderType
public interface LegalHoldService {
    /**
     * @param hold what to hold
     * @return the hold, in force
     * @throws dev.mamori.platform.error.MamoriException {@code invalid-hold} for a bad request,
     *         {@code retention-forbidden} for anyone but operators and the tenant's admins
     */
    LegalHold place(NewHold hold);

    /**
     * @param id     a hold in force
     * @param reason why it is released: 1-500 characters, one line
     * @return the hold, released
     * @throws dev.mamori.platform.error.MamoriException {@code no-such-hold} (another tenant's too),
     *         {@code hold-released} when it was already
     */
    LegalHold release(String id, String reason);

    /**
     * @param tenant   operators: a tenant (id or slug) or null for all; a tenant's admins: their own
     * @param released whether released holds are listed too
     * @return the holds, newest first
     */
    List<LegalHold> list(String tenant, boolean released);

    /**
     * @param tenantId a tenant
     * @param category a record category, or null
     * @param subject  an employee number, or null
     * @return whether a hold in force covers the tenant, or this category or subject in it (the
     *         platform's own jobs and operators ask; fails closed: an unreadable store throws)
     */
    boolean held(String tenantId, String category, String subject);
}

package dev.mamori.platform.job;

import java.util.List;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The tenant side of jobs (service; the tenant bundle provides it): the tenants a per-tenant
 * schedule ({@link JobHandler#SCHEDULE_SCOPE} {@code = tenant}) fans out to, and the binding of a
 * tenant job's steps to their tenant, with the tenant's own checks. Without it, tenant jobs and
 * per-tenant schedules wait: never a guessed set of tenants, never a tenant bound unchecked.
 */
@ConsumerType
public interface JobTenants {
    /** @return ids of the tenants that still hold data (every state but PURGED) */
    List<String> tenantIds();

    /**
     * Runs a step of a tenant's job in that tenant, as the principal already bound (the job's
     * submitter): a tenant's user or plugin as the tenant's own (its state checked), the platform
     * (an operator, a schedule) for a named purpose, recorded as a platform access.
     *
     * @param tenantId the job's tenant
     * @param work     the step
     * @param <T>      its result
     * @return the step's result
     */
    <T> T inTenant(String tenantId, Supplier<T> work);
}

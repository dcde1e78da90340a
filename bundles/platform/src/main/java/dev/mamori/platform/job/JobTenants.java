package dev.mamori.platform.job;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The tenants a per-tenant schedule ({@link JobHandler#SCHEDULE_SCOPE} {@code = tenant}) fans out
 * to (service; the tenant bundle provides it). Without it, such schedules wait: they never fire
 * for a guessed set of tenants.
 */
@ConsumerType
public interface JobTenants {
    /** @return ids of the tenants that still hold data (every state but PURGED) */
    List<String> tenantIds();
}

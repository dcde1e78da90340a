package dev.mamori.tenant.internal;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.job.JobTenants;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/**
 * The tenant side of jobs: the tenants a per-tenant schedule fans out to (every one that still
 * holds data, not PURGED), and each tenant job's step bound to its tenant through the tenant
 * context - a tenant's user or plugin as the tenant's own (its state checked), the platform for
 * {@link #RUN}, recorded as a platform access.
 */
@Component(service = JobTenants.class)
public class TenantJobDirectory implements JobTenants {
    /** Why the platform reaches a tenant's data in a job it (an operator, a schedule) submitted. */
    static final PlatformPurpose RUN = PlatformPurpose.of("jobs.run", "run a job the platform submitted for the tenant");
    private final TenantService tenants;
    private final TenantContext context;

    /**
     * @param tenants the tenants
     * @param context binds a tenant
     */
    @Activate
    public TenantJobDirectory(@Reference TenantService tenants, @Reference TenantContext context) {
        this.tenants = tenants;
        this.context = context;
    }

    @Override
    public <T> T inTenant(String tenantId, Supplier<T> work) {
        PrincipalKind kind = ExecutionContext.require().principal().map(Principal::kind).orElse(null);
        if (kind == PrincipalKind.USER || kind == PrincipalKind.PLUGIN) {
            return context.callAs(tenantId, work);
        }
        return context.callAsPlatform(tenantId, RUN, work);
    }

    @Override
    public List<String> tenantIds() {
        // the schedule asks as the platform; the list is metadata only
        return ExecutionContext.system("jobs.schedule").call(() -> tenants.list()).stream()
                .filter(t -> t.state() != TenantState.PURGED).map(t -> t.id()).collect(Collectors.toList());
    }
}

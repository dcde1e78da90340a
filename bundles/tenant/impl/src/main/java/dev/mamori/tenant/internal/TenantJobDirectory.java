package dev.mamori.tenant.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.job.JobTenants;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** The tenants a per-tenant job schedule fans out to: every one that still holds data (not PURGED). */
@Component(service = JobTenants.class)
public class TenantJobDirectory implements JobTenants {
    private final TenantService tenants;

    /** @param tenants the tenants */
    @Activate
    public TenantJobDirectory(@Reference TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public List<String> tenantIds() {
        // the schedule asks as the platform; the list is metadata only
        return ExecutionContext.system("jobs.schedule").call(() -> tenants.list()).stream()
                .filter(t -> t.state() != TenantState.PURGED).map(t -> t.id()).collect(Collectors.toList());
    }
}

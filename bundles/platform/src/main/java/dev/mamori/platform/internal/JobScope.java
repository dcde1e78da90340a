package dev.mamori.platform.internal;

import java.util.Optional;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * Which jobs the caller may see, from its execution context (fail closed): a tenant bound in the
 * context, or a tenant's user or plugin, sees that tenant's jobs only; operators, support and the
 * platform see all; no principal, or a tenant principal without a tenant, sees none.
 *
 * @param all      every job
 * @param tenantId only this tenant's jobs (when not all); null with all false: none
 */
record JobScope(boolean all, String tenantId) {
    private static final JobScope NONE = new JobScope(false, null);

    static JobScope ofCaller() {
        ExecutionContext ctx = ExecutionContext.current().orElse(null);
        if (ctx == null) {
            return NONE;
        }
        Optional<Principal> p = ctx.principal();
        if (p.isEmpty()) {
            return NONE;
        }
        PrincipalKind kind = p.get().kind();
        Optional<String> principalTenant = p.get().tenantId();
        Optional<String> bound = ctx.tenantId();
        if (bound.isPresent()) {
            // a tenant principal working in another tenant's context sees neither
            return principalTenant.isPresent() && !principalTenant.equals(bound) ? NONE : new JobScope(false, bound.get());
        }
        if (kind == PrincipalKind.USER || kind == PrincipalKind.PLUGIN) {
            return principalTenant.map(t -> new JobScope(false, t)).orElse(NONE);
        }
        return new JobScope(true, null);
    }

    boolean none() {
        return !all && tenantId == null;
    }

    boolean sees(String jobTenant) {
        return all || tenantId != null && tenantId.equals(jobTenant);
    }

    /**
     * @param wanted the tenant the caller asks a job for, or null
     * @return the tenant the job is for: a tenant-scoped caller's own (asked or not)
     * @throws MamoriException forbidden for another tenant, or for a caller that may see no job
     */
    String tenantFor(String wanted) {
        if (all) {
            return wanted;
        }
        if (tenantId == null) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Submitting a job needs a principal.");
        }
        if (wanted != null && !wanted.equals(tenantId)) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "A job can only be submitted for your own tenant.");
        }
        return tenantId;
    }
}

package dev.mamori.auth.rest.internal;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.IpAllowListService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.rest.spi.RestConstants;
import dev.mamori.tenant.TenantService;

/**
 * The tenant slot: binds the tenant of the principal the authentication slot found (only while its
 * users have access, TEN-2) and enforces its IP allow-list on every request (IAM-12); a platform
 * principal binds no tenant and must come from the platform's allow-list (OPS-3).
 */
@Component(service = ContainerRequestFilter.class, property = {
    RestConstants.SLOT + "=" + RestConstants.SLOT_TENANT, RestConstants.FILTER_NAME + "=" + TenantFilter.NAME})
public class TenantFilter implements ContainerRequestFilter {
    /** Its name, which {@code required.slots} asks for: {@code tenant:auth-tenant}. */
    public static final String NAME = "auth-tenant";
    private final TenantService tenants;
    private final IpAllowListService allowLists;
    private final EventPublisher events;

    /**
     * @param tenants    tenant states
     * @param allowLists the tenants' allow-lists
     * @param events     where refusals go
     */
    @Activate
    public TenantFilter(@Reference TenantService tenants, @Reference IpAllowListService allowLists, @Reference EventPublisher events) {
        this.tenants = tenants;
        this.allowLists = allowLists;
        this.events = events;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Principal p = ExecutionContext.require().principal().orElse(null);
        if (p == null) {
            return;
        }
        String tenantId = p.tenantId().orElse(null);
        if (tenantId == null) {
            // operators and support: no tenant is bound; the platform's allow-list applies (OPS-3)
            if (!allowLists.allowsPlatform(ExecutionContext.require().clientIp().orElse(null))) {
                events.publish(MamoriEvent.builder(AuthEvents.IP_REFUSED).target("platform-account", p.id())
                        .outcome(MamoriEvent.Outcome.DENIED));
                throw new AuthException(AuthErrors.IP_NOT_ALLOWED, "Your address is not in the platform's allow-list.");
            }
            return;
        }
        if (tenants.find(tenantId).filter(t -> t.state().usersHaveAccess()).isEmpty()) {
            throw new AuthException(AuthErrors.SESSION_INVALID, "The session's tenant is not accessible; sign in again.");
        }
        ExecutionContext.amend(c -> c.withTenant(tenantId));
        String ip = ExecutionContext.require().clientIp().orElse(null);
        if (!allowLists.allows(tenantId, ip)) {
            events.publish(MamoriEvent.builder(AuthEvents.IP_REFUSED).tenant(tenantId).target("user", p.id())
                    .outcome(MamoriEvent.Outcome.DENIED));
            throw new AuthException(AuthErrors.IP_NOT_ALLOWED, "Your address is not in this tenant's IP allow-list.");
        }
    }
}

package dev.mamori.tenant.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantErrors;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantNotFoundException;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/**
 * Binds a tenant into the execution context. The state check happens here, once, for every
 * caller (TEN-2); so does the refusal to mix tenants on one thread.
 */
@Component(service = TenantContext.class)
public class TenantContextImpl implements TenantContext {
    private final TenantService tenants;
    private final EventPublisher events;

    /**
     * @param tenants where tenants are looked up (with the caller's visibility)
     * @param events  where platform accesses are published
     */
    @Activate
    public TenantContextImpl(@Reference TenantService tenants, @Reference EventPublisher events) {
        this.tenants = Objects.requireNonNull(tenants);
        this.events = Objects.requireNonNull(events);
    }

    @Override
    public <T> T callAs(String idOrSlug, Supplier<T> work) {
        // what a tenant's users see: a DELETED or PURGED tenant does not exist for them (TEN-4)
        Tenant tenant = tenants.find(idOrSlug)
                .filter(t -> t.state() != TenantState.DELETED && t.state() != TenantState.PURGED)
                .filter(TenantContextImpl::ownTenantOfCaller)
                .orElseThrow(() -> new TenantNotFoundException("No tenant '" + TenantServiceImpl.printable(idOrSlug) + "'."));
        if (!tenant.state().usersHaveAccess()) {
            throw new TenantNotAccessibleException("Tenant '" + tenant.slug() + "' is " + tenant.state()
                    + "; its data is not accessible.");
        }
        ExecutionContext base = ExecutionContext.current().orElseGet(() -> ExecutionContext.builder(Channel.INTERNAL).build());
        return bind(base, tenant, null).call(work);
    }

    /** A user or tenant plugin reaches its own tenant only; the answer for another is "no such tenant". */
    private static boolean ownTenantOfCaller(Tenant t) {
        Optional<Principal> p = ExecutionContext.current().flatMap(ExecutionContext::principal);
        return p.flatMap(Principal::tenantId).map(t.id()::equals).orElse(true);
    }

    @Override
    public <T> T callAsPlatform(String idOrSlug, PlatformPurpose purpose, Supplier<T> work) {
        Objects.requireNonNull(purpose, "purpose");
        ExecutionContext current = ExecutionContext.require();
        PrincipalKind kind = current.principal().map(Principal::kind).orElse(null);
        if (kind != PrincipalKind.OPERATOR && kind != PrincipalKind.SYSTEM) {
            // support reads metadata only, never records (OPS-2); users and plugins never act as the platform
            throw new MamoriException(PlatformErrors.PLATFORM_ACCESS_DENIED, "Only operators and the platform itself may "
                    + "reach a tenant's data for " + purpose.code() + ".");
        }
        Tenant tenant = tenants.get(idOrSlug);
        if (tenant.state() == TenantState.PURGED) {
            throw new TenantNotAccessibleException("Tenant '" + tenant.slug() + "' is PURGED; it has no data left.");
        }
        ExecutionContext bound = bind(current, tenant, purpose.code());
        return bound.call(() -> {
            events.publish(MamoriEvent.builder(PlatformEvents.PLATFORM_ACCESS).tenant(tenant.id()).target("tenant", tenant.id())
                    .detail("purpose", purpose.code()).detail("state", tenant.state()));
            return work.get();
        });
    }

    private static ExecutionContext bind(ExecutionContext base, Tenant tenant, String purpose) {
        Optional<String> outer = base.tenantId();
        if (outer.isPresent() && !outer.get().equals(tenant.id())) {
            // mixing tenants on one thread is how data leaks: refuse, never switch silently
            throw new TenantException(TenantErrors.CONTEXT_CONFLICT, "A tenant context is already bound on this thread; "
                    + "work for another tenant must not run inside it.");
        }
        ExecutionContext.Builder b = base.toBuilder().tenant(tenant.id());
        if (purpose != null) {
            b.purpose(purpose);
        }
        return b.build();
    }
}

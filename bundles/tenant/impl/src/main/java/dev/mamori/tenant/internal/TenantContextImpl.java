package dev.mamori.tenant.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/**
 * Thread-bound tenant context. The state check happens here, once, for every caller (TEN-2).
 */
@Component(service = TenantContext.class)
public class TenantContextImpl implements TenantContext {

    private static final class Binding {
        final String tenantId;
        final String purpose;

        Binding(String tenantId, String purpose) {
            this.tenantId = tenantId;
            this.purpose = purpose;
        }
    }

    private final ThreadLocal<Binding> current = new ThreadLocal<>();
    private final TenantService tenants;

    /** @param tenants where tenants are looked up */
    @Activate
    public TenantContextImpl(@Reference TenantService tenants) {
        this.tenants = Objects.requireNonNull(tenants);
    }

    @Override
    public <T> T callAs(String idOrSlug, Supplier<T> work) {
        Tenant tenant = tenants.get(idOrSlug);
        if (!tenant.state().usersHaveAccess()) {
            throw new TenantNotAccessibleException("Tenant '" + tenant.slug() + "' is " + tenant.state()
                    + "; its data is not accessible.");
        }
        return bind(tenant, null, work);
    }

    @Override
    public <T> T callAsPlatform(String idOrSlug, String purpose, Supplier<T> work) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("A platform binding must say why it needs the tenant's data.");
        }
        Tenant tenant = tenants.get(idOrSlug);
        if (tenant.state() == TenantState.PURGED) {
            throw new TenantNotAccessibleException("Tenant '" + tenant.slug() + "' is PURGED; it has no data left.");
        }
        return bind(tenant, purpose, work);
    }

    private <T> T bind(Tenant tenant, String purpose, Supplier<T> work) {
        Binding outer = current.get();
        if (outer != null && !outer.tenantId.equals(tenant.id())) {
            // mixing tenants on one thread is how data leaks: refuse, never switch silently
            throw new TenantException("tenant-context-conflict", "A tenant context is already bound on this thread; "
                    + "work for another tenant must not run inside it.");
        }
        current.set(new Binding(tenant.id(), purpose != null ? purpose : outer != null ? outer.purpose : null));
        try {
            return work.get();
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
        }
    }

    @Override
    public Optional<String> currentTenantId() {
        Binding b = current.get();
        return b == null ? Optional.empty() : Optional.of(b.tenantId);
    }
}

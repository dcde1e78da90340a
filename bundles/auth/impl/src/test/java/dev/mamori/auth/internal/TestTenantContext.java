package dev.mamori.auth.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantErrors;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantNotFoundException;

/**
 * A {@link TenantContext} that behaves like the tenant bundle's TenantContextImpl (which is not on
 * this bundle's class path): looks the tenant up by id or slug in {@code mamori_tenant}; DELETED and
 * PURGED tenants and another tenant than the caller's own do not exist; EXPIRED is not accessible;
 * a second tenant on a thread that has one bound is refused.
 */
final class TestTenantContext implements TenantContext {
    private final DataSource main;

    TestTenantContext(DataSource main) {
        this.main = Objects.requireNonNull(main);
    }

    private record Row(String id, String slug, String state) {
    }

    @Override
    public <T> T callAs(String idOrSlug, Supplier<T> work) {
        Row t = find(idOrSlug).filter(r -> !r.state().equals("DELETED") && !r.state().equals("PURGED"))
                .filter(TestTenantContext::ownTenantOfCaller)
                .orElseThrow(() -> new TenantNotFoundException("No tenant '" + idOrSlug + "'."));
        if (!t.state().equals("TRIAL") && !t.state().equals("ACTIVE")) {
            throw new TenantNotAccessibleException("Tenant '" + t.slug() + "' is " + t.state() + ".");
        }
        ExecutionContext base = ExecutionContext.current().orElseGet(() -> ExecutionContext.builder(Channel.INTERNAL).build());
        return bind(base, t.id()).call(work);
    }

    @Override
    public <T> T callAsPlatform(String idOrSlug, PlatformPurpose purpose, Supplier<T> work) {
        ExecutionContext current = ExecutionContext.require();
        PrincipalKind kind = current.principal().map(Principal::kind).orElse(null);
        if (kind != PrincipalKind.OPERATOR && kind != PrincipalKind.SYSTEM) {
            throw new MamoriException(PlatformErrors.PLATFORM_ACCESS_DENIED, "Only operators and the platform itself.");
        }
        Row t = find(idOrSlug).filter(r -> !r.state().equals("PURGED"))
                .orElseThrow(() -> new TenantNotFoundException("No tenant '" + idOrSlug + "'."));
        return bind(current, t.id()).call(work);
    }

    private static boolean ownTenantOfCaller(Row t) {
        Optional<Principal> p = ExecutionContext.current().flatMap(ExecutionContext::principal);
        return p.flatMap(Principal::tenantId).map(t.id()::equals).orElse(true);
    }

    private static ExecutionContext bind(ExecutionContext base, String tenantId) {
        Optional<String> outer = base.tenantId();
        if (outer.isPresent() && !outer.get().equals(tenantId)) {
            throw new TenantException(TenantErrors.CONTEXT_CONFLICT, "A tenant context is already bound on this thread.");
        }
        return base.withTenant(tenantId);
    }

    private Optional<Row> find(String idOrSlug) {
        if (idOrSlug == null) {
            return Optional.empty();
        }
        try (Connection c = main.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT id, slug, state FROM mamori_tenant WHERE id = ? OR slug = ?")) {
            s.setString(1, idOrSlug);
            s.setString(2, idOrSlug);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Row(r.getString(1), r.getString(2), r.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.mamori.notification.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Roles;
import dev.mamori.notification.Availability;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.SlaService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** Availability reports (OPS-5): operators any scope, a tenant's admins their own tenant's. */
@Component(service = {SlaService.class, SlaServiceImpl.class})
public class SlaServiceImpl implements SlaService {
    private static final YearMonth EARLIEST = YearMonth.of(2000, 1);
    private final NotificationCore core;
    private final TenantService tenants;

    /** @param core stores, clock, settings @param tenants the tenants */
    @Activate
    public SlaServiceImpl(@Reference NotificationCore core, @Reference TenantService tenants) {
        this.core = core;
        this.tenants = tenants;
    }

    @Override
    public Availability report(YearMonth month, String tenantId) {
        ExecutionContext ctx = ExecutionContext.require();
        Principal p = ctx.requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM, PrincipalKind.USER);
        String scope;
        if (p.kind() == PrincipalKind.USER) {
            String own = ctx.tenantId().orElse(null);
            if (own == null || !Objects.equals(own, p.tenantId().orElse(null)) || !p.hasRole(Roles.TENANT_ADMIN)) {
                throw new MamoriException(NotificationErrors.FORBIDDEN, "Availability is read by operators and the tenant's admins.");
            }
            scope = own;
        } else {
            scope = tenantId == null || tenantId.isBlank() ? null : tenants.find(tenantId).map(Tenant::id)
                    .orElseThrow(() -> new MamoriException(NotificationErrors.INVALID_NOTIFICATION, "No tenant '"
                            + MailText.oneLine(tenantId, 40) + "'."));
        }
        return compute(measure(check(month)), scope);
    }

    @Override
    public List<Availability> all(YearMonth month) {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
        // the month's minutes are read once for the platform and every tenant
        Measured m = measure(check(month));
        List<Availability> out = new ArrayList<>();
        out.add(compute(m, null));
        for (Tenant t : tenants.list()) {
            if (t.state() != TenantState.DELETED && t.state() != TenantState.PURGED) {
                out.add(compute(m, t.id()));
            }
        }
        return out;
    }

    private YearMonth check(YearMonth month) {
        YearMonth now = YearMonth.from(core.clock.instant().atZone(core.clock.getZone()));
        if (month == null) {
            return now;
        }
        if (month.isAfter(now) || month.isBefore(EARLIEST)) {
            throw new MamoriException(NotificationErrors.INVALID_NOTIFICATION, "A month from 2000-01 to this one, as yyyy-MM.");
        }
        return month;
    }

    /** A month's probe record, read once. */
    private record Measured(YearMonth month, Instant start, Instant end, BitSet ready, Instant firstProbe) {
    }

    private Measured measure(YearMonth month) {
        Instant start = Sla.start(month, core.clock.getZone());
        Instant end = Sla.end(month, core.clock.getZone());
        int total = (int) Duration.between(start, end).toMinutes();
        return new Measured(month, start, end, core.availability.ready(start, total), core.availability.first().orElse(null));
    }

    private Availability compute(Measured m, String tenantId) {
        List<Sla.Window> maintenance = core.announcements.maintenance(tenantId, m.start(), m.end(), core.settings().maintenanceNotice())
                .stream().map(w -> new Sla.Window(w.start(), w.end())).toList();
        List<Sla.Window> outages = tenantId == null ? List.of() : core.incidents.outages(tenantId, m.start(), m.end()).stream()
                .map(o -> new Sla.Window(o.start(), o.end())).toList();
        return Sla.compute(m.month(), core.clock.getZone(), core.clock.instant(), m.firstProbe(), m.ready(), maintenance, outages,
                core.settings().slaTarget(), tenantId);
    }
}

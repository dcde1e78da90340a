package dev.mamori.notification.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Roles;
import dev.mamori.notification.Audience;
import dev.mamori.notification.Delivery;
import dev.mamori.notification.Notification;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.notification.NotificationService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** The outbox: queued in the caller's unit of work, delivered by {@link DeliveryJob}. */
@Component(service = NotificationService.class)
public class NotificationServiceImpl implements NotificationService {
    static final Set<String> KNOWN_CHANNELS = Set.of(Notification.EMAIL, Notification.IN_APP);
    private static final Pattern VALUE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]{0,39}");
    private static final int MAX_VALUE = 4000;
    private final NotificationCore core;
    private final TenantService tenants;
    private final DeliveryWake wake;

    /**
     * @param core    stores, events, clock
     * @param tenants checks a tenant audience's tenant
     * @param wake    starts the delivery once the unit commits
     */
    @Activate
    public NotificationServiceImpl(@Reference NotificationCore core, @Reference TenantService tenants, @Reference DeliveryWake wake) {
        this.core = core;
        this.tenants = tenants;
        this.wake = wake;
    }

    @Override
    public String send(Notification n) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
        if (n == null) {
            throw invalid("A notification is required.");
        }
        Audience audience = n.audience();
        if (audience.kind() != Audience.Kind.OPERATORS) {
            // a tenant that is gone is told nothing; a name that is no tenant is a mistake
            String named = audience.tenantId();
            var t = tenants.find(named).filter(x -> x.state() != TenantState.PURGED)
                    .orElseThrow(() -> invalid("No tenant '" + MailText.oneLine(named, 40) + "'."));
            audience = new Audience(audience.kind(), t.id(), audience.userId());
        }
        Outbox.Row row = row(n, audience, core.clock.instant());
        return core.units.call(() -> {
            queue(core, wake, List.of(row), p);
            return row.id();
        });
    }

    /** Checks a notification and makes its row. */
    static Outbox.Row row(Notification n, Audience audience, Instant now) {
        if (!Templates.NAMES.contains(n.template())) {
            throw invalid("No template '" + MailText.oneLine(n.template(), 64) + "'; known: " + Templates.NAMES + ".");
        }
        for (String c : n.channels()) {
            if (!KNOWN_CHANNELS.contains(c)) {
                throw invalid("No channel '" + MailText.oneLine(c, 40) + "'; known: " + KNOWN_CHANNELS + ".");
            }
        }
        if (audience.kind() == Audience.Kind.OPERATORS && n.channels().contains(Notification.IN_APP)) {
            throw invalid("Operators have no in-app notices; send them e-mail.");
        }
        long total = 0;
        for (Map.Entry<String, String> v : n.values().entrySet()) {
            if (!VALUE_NAME.matcher(v.getKey()).matches() || v.getValue().length() > MAX_VALUE) {
                throw invalid("A value is named by a letter and up to 39 letters or digits, and holds at most " + MAX_VALUE + " characters.");
            }
            total += v.getValue().length();
        }
        if (total > 30_000) {
            throw invalid("A notification's values hold at most 30,000 characters in all.");
        }
        return new Outbox.Row(UUID.randomUUID().toString(), n.template(), audience, new ArrayList<>(n.channels()),
                Map.copyOf(n.values()), n.incidentId(), now);
    }

    /** Writes the rows and their events in the current unit; the delivery starts once it commits. */
    static void queue(NotificationCore core, DeliveryWake wake, List<Outbox.Row> rows, Principal by) {
        core.outbox.insert(rows, by.id());
        for (Outbox.Row r : rows) {
            MamoriEvent.Builder e = MamoriEvent.builder(NotificationEvents.QUEUED).target("notification", r.id())
                    .detail("template", r.template()).detail("audience", r.audience().kind().name().toLowerCase(java.util.Locale.ROOT))
                    .detail("channels", String.join(",", r.channels())).detail("incident", r.incidentId());
            if (r.audience().tenantId() != null) {
                e.tenant(r.audience().tenantId());
            }
            core.events.publish(e);
        }
        core.units.afterCommit(wake::now);
    }

    @Override
    public List<Delivery> deliveries(String tenantId, int limit) {
        ExecutionContext ctx = ExecutionContext.require();
        Principal p = ctx.requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.USER);
        int n = Math.max(1, Math.min(500, limit));
        String scope;
        if (p.kind() == PrincipalKind.USER) {
            String own = ctx.tenantId().orElse(null);
            if (own == null || !own.equals(p.tenantId().orElse(null)) || !p.hasRole(Roles.TENANT_ADMIN)) {
                throw new MamoriException(NotificationErrors.FORBIDDEN, "The delivery log is for operators and the tenant's admins.");
            }
            scope = own;
        } else {
            scope = tenantId == null || tenantId.isBlank() ? null : tenants.find(tenantId).map(t -> t.id())
                    .orElseThrow(() -> invalid("No tenant '" + MailText.oneLine(tenantId, 40) + "'."));
        }
        List<Delivery> out = core.outbox.log(scope, n);
        core.events.publish(MamoriEvent.builder(NotificationEvents.DELIVERIES_READ).target("delivery-log", scope == null ? "all" : scope)
                .detail("count", out.size()));
        return out;
    }

    static MamoriException invalid(String message) {
        return new MamoriException(NotificationErrors.INVALID_NOTIFICATION, message);
    }
}

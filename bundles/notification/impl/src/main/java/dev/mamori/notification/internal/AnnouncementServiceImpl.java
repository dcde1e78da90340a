package dev.mamori.notification.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Roles;
import dev.mamori.notification.Announcement;
import dev.mamori.notification.AnnouncementKind;
import dev.mamori.notification.AnnouncementService;
import dev.mamori.notification.Audience;
import dev.mamori.notification.NewAnnouncement;
import dev.mamori.notification.Notification;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** Announcements (NTF-4..6, OPS-5): written by operators, sent by {@link AnnouncementJob} or at once when due. */
@Component(service = {AnnouncementService.class, AnnouncementServiceImpl.class})
public class AnnouncementServiceImpl implements AnnouncementService {
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnnouncementServiceImpl.class);
    /** A plan's name as the tenant capability accepts it. */
    private static final Pattern PLAN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    /** Named tenants at most: more is a plan or all tenants. */
    private static final int MOST_TENANTS = 1000;
    /** How far ahead an announcement or its window may lie. */
    private static final Duration FARTHEST = Duration.ofDays(366);
    private static final Duration LONGEST_WINDOW = Duration.ofHours(24);
    private static final Duration GRACE = Duration.ofMinutes(1);
    private final NotificationCore core;
    private final TenantService tenants;
    private final DeliveryWake wake;

    /**
     * @param core    stores, events, clock, settings
     * @param tenants the targets
     * @param wake    starts the delivery
     */
    @Activate
    public AnnouncementServiceImpl(@Reference NotificationCore core, @Reference TenantService tenants, @Reference DeliveryWake wake) {
        this.core = core;
        this.tenants = tenants;
        this.wake = wake;
    }

    @Override
    public Announcement publish(NewAnnouncement in) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR);
        if (in == null || in.kind() == null) {
            throw invalid("An announcement and its kind (" + List.of(AnnouncementKind.values()) + ") are required.");
        }
        String title = MailText.oneLine(in.title(), 201);
        if (title.isEmpty() || title.length() > 200) {
            throw invalid("A title is one line of 1-200 characters.");
        }
        String body = in.body() == null ? "" : MailText.body(in.body()).strip();
        if (body.isEmpty() || body.length() > 4000) {
            throw invalid("The body holds 1-4,000 characters.");
        }
        int targets = (in.allTenants() ? 1 : 0) + (in.tenants() != null && !in.tenants().isEmpty() ? 1 : 0)
                + (in.plans() != null && !in.plans().isEmpty() ? 1 : 0);
        if (targets != 1) {
            throw invalid("Address all tenants, named tenants, or plans: one of them.");
        }
        List<String> tenantIds = new ArrayList<>();
        if (in.tenants() != null) {
            if (in.tenants().size() > MOST_TENANTS) {
                throw invalid("At most " + MOST_TENANTS + " named tenants; address a plan or all tenants instead.");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (String named : in.tenants()) {
                Tenant t = named == null ? null : tenants.find(named).filter(x -> x.state() != TenantState.PURGED).orElse(null);
                if (t == null) {
                    throw invalid("No tenant '" + MailText.oneLine(named, 40) + "'.");
                }
                ids.add(t.id());
            }
            tenantIds.addAll(ids);
        }
        List<String> plans = new ArrayList<>();
        if (in.plans() != null) {
            for (String plan : new LinkedHashSet<>(in.plans())) {
                if (plan == null || !PLAN.matcher(plan).matches()) {
                    throw invalid("A plan is a name of 1-40 lower-case letters, digits, '_' or '-', as tenants' plans are.");
                }
                plans.add(plan);
            }
        }
        Instant now = core.clock.instant();
        Instant sendAt = in.sendAt() == null ? now : in.sendAt();
        if (sendAt.isBefore(now.minus(GRACE))) {
            throw invalid("sendAt is in the past.");
        }
        if (sendAt.isAfter(now.plus(FARTHEST)) || (in.maintenanceStart() != null && in.maintenanceStart().isAfter(now.plus(FARTHEST)))) {
            throw invalid("An announcement and its window lie at most a year ahead.");
        }
        checkWindow(in, sendAt);
        Announcement a = new Announcement(UUID.randomUUID().toString(), in.kind(), title, body, in.allTenants(), tenantIds, plans,
                sendAt, null, null, 0, in.maintenanceStart(), in.maintenanceEnd(), now);
        return core.units.call(() -> {
            core.announcements.insert(a, p.id());
            core.events.publish(MamoriEvent.builder(NotificationEvents.ANNOUNCEMENT_PUBLISHED).target("announcement", a.id())
                    .detail("kind", a.kind()).detail("sendAt", a.sendAt()).detail("allTenants", a.allTenants())
                    .detail("tenants", tenantIds.size()).detail("plans", plans.size()));
            if (!sendAt.isAfter(now)) {
                send(a.id(), p);
                Announcement made = core.announcements.find(a.id(), false).orElseThrow();
                if (made.recipients() == 0) {
                    // rolls the whole announcement back: an operator who mistyped a plan learns it now
                    throw invalid("It reaches no tenant: no tenant that is not deleted is on " + (plans.isEmpty() ? "the list" : "these plans")
                            + ".");
                }
                return made;
            }
            return core.announcements.find(a.id(), false).orElseThrow();
        });
    }

    private void checkWindow(NewAnnouncement in, Instant sendAt) {
        if (in.kind() != AnnouncementKind.MAINTENANCE) {
            if (in.maintenanceStart() != null || in.maintenanceEnd() != null) {
                throw invalid("Only MAINTENANCE has a window.");
            }
            return;
        }
        if (in.maintenanceStart() == null || in.maintenanceEnd() == null || !in.maintenanceEnd().isAfter(in.maintenanceStart())) {
            throw invalid("Maintenance needs its window: a start and a later end.");
        }
        if (Duration.between(in.maintenanceStart(), in.maintenanceEnd()).compareTo(LONGEST_WINDOW) > 0) {
            throw invalid("A maintenance window lasts at most 24 hours; announce longer work as several.");
        }
        Duration notice = core.settings().maintenanceNotice();
        if (in.maintenanceStart().isBefore(sendAt.plus(notice))) {
            throw invalid("Maintenance is announced at least " + notice.toHours() + " hours before its window (OPS-5): this one "
                    + "goes out " + Duration.between(sendAt, in.maintenanceStart()).toHours() + " hours before.");
        }
    }

    /**
     * Sends a due announcement in the current unit: the targets as they are now, one notification per
     * tenant's admins, the tenants recorded.
     *
     * @return whether it was sent now (false: already sent or cancelled)
     */
    boolean send(String id, Principal by) {
        Announcement a = core.announcements.find(id, true).orElseThrow();
        if (a.sentAt() != null || a.cancelledAt() != null) {
            return false;
        }
        Instant now = core.clock.instant();
        List<Outbox.Row> rows = new ArrayList<>();
        List<String> to = new ArrayList<>();
        for (Tenant t : tenants.list()) {
            if (t.state() == TenantState.DELETED || t.state() == TenantState.PURGED) {
                continue;
            }
            boolean addressed = a.allTenants() || a.tenants().contains(t.id()) || (t.plan() != null && a.plans().contains(t.plan()));
            if (!addressed) {
                continue;
            }
            to.add(t.id());
            Notification n = Notification.of("announcement", Audience.tenantAdmins(t.id())).channel(Notification.EMAIL)
                    .channel(Notification.IN_APP).value("tenant", t.displayName()).value("kind", a.kind().name()).value("title", a.title())
                    .value("body", a.body()).value("maintenance", a.maintenanceStart() == null ? "none" : "window")
                    .value("maintenanceStart", a.maintenanceStart() == null ? "" : IncidentServiceImpl.TIME.format(
                            a.maintenanceStart().atZone(core.clock.getZone())))
                    .value("maintenanceEnd", a.maintenanceEnd() == null ? "" : IncidentServiceImpl.TIME.format(
                            a.maintenanceEnd().atZone(core.clock.getZone())));
            rows.add(NotificationServiceImpl.row(n, n.audience(), now));
        }
        NotificationServiceImpl.queue(core, wake, rows, by);
        core.announcements.sent(a.id(), to, now);
        // sent later than its notice (the job did not run in time): it still goes out, but its window is downtime
        boolean late = a.maintenanceStart() != null && now.isAfter(a.maintenanceStart().minus(core.settings().maintenanceNotice()));
        if (late) {
            LOG.warn("Maintenance announcement {} went out less than {} hours before its window: the window counts as downtime (OPS-5)",
                    a.id(), core.settings().maintenanceNotice().toHours());
        }
        core.events.publish(MamoriEvent.builder(NotificationEvents.ANNOUNCEMENT_SENT).target("announcement", a.id()).detail("kind", a.kind())
                .detail("tenants", to.size()).detail("textSha256", DeliveryJob.sha256(a.title() + "\n" + a.body()))
                .detail("lateNotice", late));
        return true;
    }

    @Override
    public Announcement cancel(String id) {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR);
        if (id == null || !ID.matcher(id).matches()) {
            throw noSuch();
        }
        return core.units.call(() -> {
            Announcement a = core.announcements.find(id, true).orElseThrow(AnnouncementServiceImpl::noSuch);
            if (!core.announcements.cancel(id, core.clock.instant())) {
                throw new MamoriException(NotificationErrors.ANNOUNCEMENT_SENT, a.sentAt() != null ? "It went out already."
                        : "It was cancelled already.");
            }
            core.events.publish(MamoriEvent.builder(NotificationEvents.ANNOUNCEMENT_CANCELLED).target("announcement", id)
                    .detail("kind", a.kind()));
            return core.announcements.find(id, false).orElseThrow();
        });
    }

    @Override
    public List<Announcement> list(int limit) {
        ExecutionContext ctx = ExecutionContext.require();
        Principal p = ctx.requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.USER);
        int n = Math.max(1, Math.min(500, limit));
        List<Announcement> out;
        String tenant = null;
        if (p.kind() == PrincipalKind.USER) {
            tenant = ctx.tenantId().orElse(null);
            if (tenant == null || !Objects.equals(tenant, p.tenantId().orElse(null)) || !p.hasRole(Roles.TENANT_ADMIN)) {
                throw new MamoriException(NotificationErrors.FORBIDDEN, "Announcements are read by operators and the tenant's admins.");
            }
            // a tenant sees what was sent to it, never whom else it was for
            out = core.announcements.sentTo(tenant, n).stream().map(a -> new Announcement(a.id(), a.kind(), a.title(), a.body(),
                    a.allTenants(), List.of(), List.of(), a.sendAt(), a.sentAt(), null, 0, a.maintenanceStart(), a.maintenanceEnd(),
                    a.createdAt())).toList();
        } else {
            out = core.announcements.all(n);
        }
        MamoriEvent.Builder e = MamoriEvent.builder(NotificationEvents.ANNOUNCEMENTS_READ).target("announcements", tenant == null ? "all" : tenant)
                .detail("count", out.size());
        core.events.publish(tenant == null ? e : e.tenant(tenant));
        return out;
    }

    private static MamoriException invalid(String message) {
        return new MamoriException(NotificationErrors.INVALID_ANNOUNCEMENT, message);
    }

    private static MamoriException noSuch() {
        return new MamoriException(NotificationErrors.NO_SUCH_ANNOUNCEMENT, "No such announcement.");
    }
}

package dev.mamori.notification.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.mamori.auth.Roles;
import dev.mamori.notification.Audience;
import dev.mamori.notification.EvidencePack;
import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentChange;
import dev.mamori.notification.IncidentService;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewIncident;
import dev.mamori.notification.Notification;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.records.RecordService;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** Incidents for operators (NTF-1..3): recorded, changed under optimistic versions, told to every affected tenant. */
@Component(service = IncidentService.class)
public class IncidentServiceImpl implements IncidentService {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private static final int MAX_TEXT = 4000;
    private static final Duration SKEW = Duration.ofMinutes(5);
    /** No incident or outage before this: a typo, not history (and far from where epoch milliseconds overflow). */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** Named tenants at most: more is all tenants. */
    private static final int MOST_TENANTS = 10_000;
    private final NotificationCore core;
    private final TenantService tenants;
    private final DeliveryWake wake;
    /** Record counts for the evidence packs; the capability may not be installed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile RecordService records;

    /**
     * @param core    stores, events, clock
     * @param tenants the affected tenants
     * @param wake    starts the delivery of notices
     */
    @Activate
    public IncidentServiceImpl(@Reference NotificationCore core, @Reference TenantService tenants, @Reference DeliveryWake wake) {
        this.core = core;
        this.tenants = tenants;
        this.wake = wake;
    }

    @Override
    public Incident open(NewIncident in) {
        Principal p = operator();
        if (in == null) {
            throw invalid("An incident is required.");
        }
        String title = title(in.title());
        if (in.status() != IncidentStatus.SUSPECTED && in.status() != IncidentStatus.CONFIRMED) {
            throw invalid("A new incident is SUSPECTED or CONFIRMED.");
        }
        Instant now = core.clock.instant();
        if (in.discoveredAt() == null || in.discoveredAt().isAfter(now.plus(SKEW)) || in.discoveredAt().isBefore(EARLIEST)) {
            throw invalid("discoveredAt is when it was discovered: given, not in the future, not before 2000.");
        }
        String summary = text("summary", in.summary(), true);
        String cause = text("cause", in.cause(), false);
        String response = text("response", in.response(), false);
        List<String> affected = affected(in);
        IncidentStore.Row row = new IncidentStore.Row(UUID.randomUUID().toString(), title, in.status(), in.discoveredAt(), now, summary,
                cause, response, in.unlawful(), in.allTenants(), 0, null, null, 1, affected.size(), 0, null, null, null,
                categories(in.categories()));
        return core.units.call(() -> {
            core.incidents.insert(row, p.id(), affected, now);
            core.events.publish(MamoriEvent.builder(NotificationEvents.INCIDENT_OPENED).target("incident", row.id())
                    .detail("status", row.status()).detail("tenants", affected.size()).detail("allTenants", in.allTenants())
                    .detail("discoveredAt", in.discoveredAt()));
            return view(core.incidents.find(row.id(), false).orElseThrow(), now);
        });
    }

    private List<String> affected(NewIncident in) {
        Set<String> ids = new LinkedHashSet<>();
        if (in.allTenants()) {
            if (in.tenants() != null && !in.tenants().isEmpty()) {
                throw invalid("Name the affected tenants or say all of them, not both.");
            }
            for (Tenant t : tenants.list()) {
                if (t.state() != TenantState.DELETED && t.state() != TenantState.PURGED) {
                    ids.add(t.id());
                }
            }
        } else {
            if (in.tenants() == null || in.tenants().isEmpty()) {
                throw invalid("Name the affected tenants, or say all of them.");
            }
            if (in.tenants().size() > MOST_TENANTS) {
                throw invalid("At most " + MOST_TENANTS + " named tenants; say all of them instead.");
            }
            for (String named : in.tenants()) {
                Tenant t = named == null ? null : tenants.find(named).filter(x -> x.state() != TenantState.PURGED).orElse(null);
                if (t == null) {
                    throw invalid("No tenant '" + MailText.oneLine(named, 40) + "'.");
                }
                ids.add(t.id());
            }
        }
        if (ids.isEmpty()) {
            throw invalid("No tenant is affected: there is none.");
        }
        return new ArrayList<>(ids);
    }

    @Override
    public Incident update(String id, long version, IncidentChange change) {
        operator();
        if (change == null) {
            throw invalid("A change is required.");
        }
        String summary = change.summary() == null ? null : text("summary", change.summary(), true);
        String cause = change.cause() == null ? null : text("cause", change.cause(), false);
        String response = change.response() == null ? null : text("response", change.response(), false);
        return core.units.call(() -> {
            Instant now = core.clock.instant();
            IncidentStore.Row r = locked(id);
            if (r.version() != version) {
                throw new MamoriException(NotificationErrors.INCIDENT_CHANGED, "The incident is at version " + r.version()
                        + ", not " + version + ": read it again.");
            }
            if (r.status() == IncidentStatus.DISMISSED) {
                throw new MamoriException(NotificationErrors.INCIDENT_CLOSED, "The incident was dismissed; open a new one.");
            }
            IncidentStatus status = change.status() == null ? r.status() : transition(r.status(), change.status());
            Instant closedAt = status.open() ? null : (r.status().open() ? now : r.closedAt());
            IncidentStore.Row changed = new IncidentStore.Row(r.id(), r.title(), status, r.discoveredAt(), r.openedAt(),
                    summary == null ? r.summary() : summary, cause == null ? r.cause() : cause, response == null ? r.response() : response,
                    change.unlawful() == null ? r.unlawful() : change.unlawful(), r.allTenants(), r.noticesSent(), r.lastUpdateAt(),
                    closedAt, r.version(), r.tenants(), r.noticed(), r.lastNoticedAt(), r.outageStart(), r.outageEnd(), r.categories());
            changed = outage(changed, change, now);
            if (!core.incidents.update(changed, version, now)) {
                throw new MamoriException(NotificationErrors.INCIDENT_CHANGED, "The incident changed meanwhile: read it again.");
            }
            core.events.publish(MamoriEvent.builder(NotificationEvents.INCIDENT_UPDATED).target("incident", r.id())
                    .detail("status", status).detail("version", version + 1));
            return view(core.incidents.find(r.id(), false).orElseThrow(), now);
        });
    }

    /** An outage window: a start not in the future, an end after it and not in the future. */
    private IncidentStore.Row outage(IncidentStore.Row r, IncidentChange change, Instant now) {
        if (change.outageStart() == null && change.outageEnd() == null) {
            return r;
        }
        Instant start = change.outageStart() != null ? change.outageStart() : r.outageStart();
        Instant end = change.outageEnd() != null ? change.outageEnd() : r.outageEnd();
        if (start == null || start.isAfter(now.plus(SKEW)) || start.isBefore(EARLIEST)
                || (end != null && (!end.isAfter(start) || end.isAfter(now.plus(SKEW))))) {
            throw invalid("An outage has a start (not before 2000), and an end after it; neither in the future.");
        }
        return r.withOutage(start, end);
    }

    private static IncidentStatus transition(IncidentStatus from, IncidentStatus to) {
        boolean ok = switch (from) {
            case SUSPECTED -> to != IncidentStatus.RESOLVED;
            case CONFIRMED -> to != IncidentStatus.SUSPECTED && to != IncidentStatus.DISMISSED;
            case RESOLVED -> to == IncidentStatus.RESOLVED || to == IncidentStatus.CONFIRMED;
            case DISMISSED -> false;
        };
        if (!ok) {
            throw new MamoriException(NotificationErrors.INCIDENT_CLOSED, "An incident " + from + " cannot become " + to + ".");
        }
        return to;
    }

    @Override
    public Incident notifyTenants(String id, String message) {
        return notifyTenants(id, null, message);
    }

    @Override
    public Incident notifyTenants(String id, long version, String message) {
        return notifyTenants(id, Long.valueOf(version), message);
    }

    private Incident notifyTenants(String id, Long version, String message) {
        Principal p = operator();
        String text = text("message", message, true);
        return core.units.call(() -> {
            Instant now = core.clock.instant();
            IncidentStore.Row r = locked(id);
            if (version != null && r.version() != version) {
                // a retried or doubled request would tell every tenant twice
                throw new MamoriException(NotificationErrors.INCIDENT_CHANGED, "The incident is at version " + r.version()
                        + ", not " + version + ": read it again.");
            }
            if (r.status() == IncidentStatus.DISMISSED) {
                throw new MamoriException(NotificationErrors.INCIDENT_CLOSED, "The incident was dismissed; there is nothing to tell.");
            }
            boolean first = r.noticesSent() == 0;
            String template = first ? "incident.notice" : "incident.update";
            Map<String, String> names = new HashMap<>();
            for (Tenant t : tenants.list()) {
                names.put(t.id(), t.displayName());
            }
            String discovered = TIME.format(r.discoveredAt().atZone(core.clock.getZone()));
            List<Outbox.Row> rows = new ArrayList<>();
            for (String tenant : core.incidents.tenants(r.id())) {
                Notification n = Notification.of(template, Audience.tenantAdmins(tenant)).channel(Notification.EMAIL)
                        .channel(Notification.IN_APP).incident(r.id()).value("tenant", names.getOrDefault(tenant, tenant))
                        .value("title", r.title()).value("status", r.status().name()).value("discoveredAt", discovered)
                        .value("summary", r.summary()).value("cause", r.cause()).value("response", r.response()).value("message", text)
                        .value("incident", r.id());
                rows.add(NotificationServiceImpl.row(n, n.audience(), now));
            }
            NotificationServiceImpl.queue(core, wake, rows, p);
            IncidentStore.Row sent = new IncidentStore.Row(r.id(), r.title(), r.status(), r.discoveredAt(), r.openedAt(), r.summary(),
                    r.cause(), r.response(), r.unlawful(), r.allTenants(), r.noticesSent() + 1, now, r.closedAt(), r.version(), r.tenants(),
                    r.noticed(), r.lastNoticedAt(), r.outageStart(), r.outageEnd(), r.categories());
            core.incidents.update(sent, r.version(), now);
            core.events.publish(MamoriEvent.builder(NotificationEvents.INCIDENT_NOTIFIED).target("incident", r.id())
                    .detail("kind", first ? "notice" : "update").detail("tenants", rows.size())
                    .detail("textSha256", DeliveryJob.sha256(text)));
            return view(core.incidents.find(r.id(), false).orElseThrow(), now);
        });
    }

    @Override
    public EvidencePack evidence(String id, String tenantId) {
        ExecutionContext ctx = ExecutionContext.require();
        Principal p = ctx.requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.USER);
        String tenant;
        if (p.kind() == PrincipalKind.USER) {
            tenant = ctx.tenantId().orElse(null);
            if (tenant == null || !tenant.equals(p.tenantId().orElse(null)) || !p.hasRole(Roles.TENANT_ADMIN)) {
                throw new MamoriException(NotificationErrors.FORBIDDEN, "Evidence packs are for operators and the tenant's admins.");
            }
        } else {
            tenant = tenantId == null ? null : tenants.find(tenantId).map(Tenant::id).orElse(null);
            if (tenant == null) {
                throw invalid("Name an affected tenant (id or slug).");
            }
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw noSuch();
        }
        IncidentStore.Row r = core.incidents.find(id, false).orElseThrow(IncidentServiceImpl::noSuch);
        // an incident that did not affect the tenant is, for its admins, one that does not exist
        Instant noticedAt = core.incidents.noticedAt(r.id(), tenant).orElse(null);
        if (!core.incidents.tenants(r.id()).contains(tenant)) {
            throw noSuch();
        }
        EvidencePack pack = EvidencePacks.of(core, r, tenant, noticedAt, records,
                tenants.find(tenant).map(Tenant::displayName).orElse(tenant));
        core.events.publish(MamoriEvent.builder(NotificationEvents.EVIDENCE_READ).tenant(tenant).target("incident", r.id())
                .detail("incident", r.id()));
        return pack;
    }

    @Override
    public List<Incident> list(boolean openOnly) {
        reader();
        Instant now = core.clock.instant();
        return core.incidents.list(openOnly).stream().map(r -> view(r, now)).toList();
    }

    @Override
    public Optional<Incident> find(String id) {
        reader();
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return core.incidents.find(id, false).map(r -> view(r, core.clock.instant()));
    }

    private IncidentStore.Row locked(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw noSuch();
        }
        return core.incidents.find(id, true).orElseThrow(IncidentServiceImpl::noSuch);
    }

    static Incident view(IncidentStore.Row r, Instant now) {
        return new Incident(r.id(), r.title(), r.status(), r.discoveredAt(), r.openedAt(), r.summary(), r.cause(), r.response(),
                r.unlawful(), r.allTenants(), r.tenants(), r.noticesSent(), r.lastUpdateAt(), r.closedAt(), Clocks.of(r, now), r.version(),
                r.outageStart(), r.outageEnd(), r.categories());
    }

    private static Principal operator() {
        return ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR);
    }

    private static Principal reader() {
        return ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
    }

    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private static List<String> categories(List<String> in) {
        if (in == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String c : in) {
            if (c == null || !CATEGORY.matcher(c).matches()) {
                throw invalid("A data category is a record category's name: 1-40 lower-case letters, digits or '-'.");
            }
            out.add(c);
        }
        if (out.size() > 40) {
            throw invalid("At most 40 data categories.");
        }
        return List.copyOf(out);
    }

    private static String title(String s) {
        String t = MailText.oneLine(s, 201);
        if (t.isEmpty() || t.length() > 200) {
            throw invalid("A title is one line of 1-200 characters.");
        }
        return t;
    }

    private static String text(String field, String s, boolean required) {
        if (s == null || s.isBlank()) {
            if (required) {
                throw invalid(field + " is required.");
            }
            return null;
        }
        String t = MailText.body(s).strip();
        if (t.length() > MAX_TEXT) {
            throw invalid(field + " holds at most " + MAX_TEXT + " characters.");
        }
        return t;
    }

    private static MamoriException invalid(String message) {
        return new MamoriException(NotificationErrors.INVALID_INCIDENT, message);
    }

    private static MamoriException noSuch() {
        return new MamoriException(NotificationErrors.NO_SUCH_INCIDENT, "No such incident.");
    }
}

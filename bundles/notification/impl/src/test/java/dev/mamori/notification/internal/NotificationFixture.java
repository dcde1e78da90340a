package dev.mamori.notification.internal;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.mamori.auth.Contact;
import dev.mamori.auth.ContactDirectory;
import dev.mamori.auth.Roles;
import dev.mamori.notification.spi.NotificationChannel;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobService;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;
import dev.mamori.testsupport.MutableClock;
import dev.mamori.testsupport.TestDatabase;

/**
 * The notification services on a real database (H2 or PostgreSQL, the bundle's migration, the
 * platform's unit of work) with doubles for what other bundles provide: tenants, a contact
 * directory that answers only the platform under the delivery purpose, recorded events.
 */
final class NotificationFixture implements AutoCloseable {
    final TestDatabase db;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"), ZoneId.of("Asia/Tokyo"));
    final Events events = new Events();
    final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    /** Contacts by tenant id. */
    final Map<String, List<Contact>> contacts = new ConcurrentHashMap<>();
    final List<String> wakes = new CopyOnWriteArrayList<>();
    final NotificationCore core;
    final Channels channels = new Channels();
    final NotificationServiceImpl notifications;
    final NoticeServiceImpl notices;
    final IncidentServiceImpl incidents;
    final DeliveryJob delivery;
    final ClockWatch watch;
    final AnnouncementServiceImpl announcements;
    final AnnouncementJob announcementJob;
    final SlaServiceImpl sla;
    final SlaJob slaJob;
    final ErrorWatch errorWatch;
    final AvailabilityProbe probe;
    /** What the audit capability's appender counted, as the error watch reads it. */
    final Map<String, dev.mamori.audit.ErrorCount> logged = new ConcurrentHashMap<>();
    /** Groups by logger and message shape, as the audit capability's appender gives them; empty: one per logger. */
    final List<dev.mamori.audit.ErrorGroup> groups = new CopyOnWriteArrayList<>();
    /** Whether the health report says ready. */
    volatile boolean ready = true;
    /** Record counts by tenant, as the records capability answers them. */
    final Map<String, List<dev.mamori.records.CategoryCount>> recordCounts = new ConcurrentHashMap<>();
    volatile Settings settings;

    NotificationFixture(TestDatabase db) {
        this(db, db.dataSource());
    }

    /** @param pooled the database as the services reach it (a pool, for the benchmark) */
    NotificationFixture(TestDatabase db, javax.sql.DataSource pooled) {
        this.db = db;
        Migrations.migrate(db.dataSource(), NotificationCore.class, "dev/mamori/notification/db", "mamori_schema_notification");
        settings = new Settings(List.of("ops@example.net"), Locale.JAPANESE, 3, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofMinutes(5), List.of(Duration.ofHours(24), Duration.ofHours(6)), "mamori.test",
                Duration.ofHours(72), Duration.ofMinutes(15), java.math.BigDecimal.valueOf(99),
                // the benchmark tries other widths; tests keep the shipped default
                Integer.getInteger("bench.parallel", 4));
        core = new NotificationCore(new Jdbc(new UnitDataSource(UnitDataSource.MAIN_STORE, pooled)), events, UnitOfWork.get(),
                clock, settings) {
            @Override
            Settings settings() {
                return settings;
            }
        };
        DeliveryWake wake = new DeliveryWake(jobs()) {
            @Override
            void now() {
                wakes.add("now");
            }
        };
        TenantService tenantService = tenantService();
        notifications = new NotificationServiceImpl(core, tenantService, wake);
        notices = new NoticeServiceImpl(core);
        incidents = new IncidentServiceImpl(core, tenantService, wake);
        channels.put("in-app", new InAppChannel(core));
        delivery = new DeliveryJob(core, channels, directory(), new Tenants());
        watch = new ClockWatch(core, wake);
        incidents.records = records();
        announcements = new AnnouncementServiceImpl(core, tenantService, wake);
        announcementJob = new AnnouncementJob(core, announcements);
        sla = new SlaServiceImpl(core, tenantService);
        slaJob = new SlaJob(core, sla, wake);
        errorWatch = new ErrorWatch(core, new dev.mamori.audit.LoggedErrors() {
            @Override
            public Map<String, dev.mamori.audit.ErrorCount> counts() {
                ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
                return Map.copyOf(logged);
            }

            @Override
            public List<dev.mamori.audit.ErrorGroup> groups() {
                // as the audit capability groups them, when a test says so; else one group per logger
                return groups.isEmpty() ? dev.mamori.audit.LoggedErrors.super.groups() : List.copyOf(groups);
            }
        }, wake);
        probe = new AvailabilityProbe(core, () -> new dev.mamori.platform.health.HealthReport(ready, Map.of("database", ready
                ? dev.mamori.platform.health.HealthStatus.up("ok") : dev.mamori.platform.health.HealthStatus.down("gone"))));
    }

    static NotificationFixture h2() {
        return new NotificationFixture(TestDatabase.h2Memory());
    }

    static NotificationFixture postgres() {
        return new NotificationFixture(TestDatabase.postgres("notification"));
    }

    @Override
    public void close() {
        db.close();
    }

    /** A tenant with one admin (and an employee who is told nothing). */
    String tenant(String name, String adminEmail, String locale) {
        String id = UUID.randomUUID().toString();
        String slug = "t-" + id.substring(0, 8);
        tenants.put(id, new Tenant(id, slug, name, TenantState.ACTIVE, "standard", "jp", null, null, null, null, clock.instant(),
                clock.instant(), clock.instant()));
        contacts.put(id, new CopyOnWriteArrayList<>(List.of(new Contact("adm-" + id.substring(0, 8), adminEmail, "管理 太郎", locale))));
        return id;
    }

    String admin(String tenant) {
        return contacts.get(tenant).get(0).userId();
    }

    static Principal operator() {
        return Principal.operator("op-1", Set.of(Roles.OPERATOR));
    }

    static <T> T as(Principal p, String tenant, Supplier<T> work) {
        ExecutionContext.Builder b = ExecutionContext.builder(Channel.REST).principal(p).clientIp("192.0.2.7");
        if (tenant != null) {
            b.tenant(tenant);
        }
        return b.build().call(work);
    }

    static <T> T asOperator(Supplier<T> work) {
        return as(operator(), null, work);
    }

    /** One delivery run to its end, as the job runner would run it: as the platform. */
    long deliver() {
        return ExecutionContext.system("job:notification.deliver").call(() -> {
            long attempts = 0;
            for (int i = 0; i < 100; i++) {
                int expanded = delivery.expand();
                int n = delivery.send(null);
                attempts += n;
                if (expanded == 0 && n == 0) {
                    return attempts;
                }
            }
            throw new AssertionError("the delivery did not end");
        });
    }

    void channel(String id, NotificationChannel c) {
        channels.put(id, c);
    }

    private ContactDirectory directory() {
        return new ContactDirectory() {
            @Override
            public List<Contact> withRole(String role) {
                return List.copyOf(contacts.getOrDefault(check(), List.of()));
            }

            @Override
            public Optional<Contact> of(String userId) {
                return contacts.getOrDefault(check(), List.of()).stream().filter(c -> c.userId().equals(userId)).findFirst();
            }

            private String check() {
                ExecutionContext c = ExecutionContext.require();
                c.requirePrincipal(PrincipalKind.SYSTEM);
                if (!ContactDirectory.PURPOSE.equals(c.purpose().orElse(null))) {
                    throw new MamoriException(PlatformErrors.FORBIDDEN, "wrong purpose");
                }
                return c.tenantId().orElseThrow();
            }
        };
    }

    private dev.mamori.records.RecordService records() {
        return (dev.mamori.records.RecordService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {dev.mamori.records.RecordService.class}, (p, m, a) -> {
                    if (!m.getName().equals("count")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    return recordCounts.getOrDefault((String) a[0], List.of());
                });
    }

    /** Runs work as the platform itself (a job's context). */
    static <T> T system(Supplier<T> work) {
        return ExecutionContext.system("job").call(work);
    }

    /** A tenant with a plan. */
    String tenant(String name, String plan) {
        String id = tenant(name, name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.jp", "ja");
        Tenant t = tenants.get(id);
        tenants.put(id, new Tenant(id, t.slug(), name, TenantState.ACTIVE, plan, "jp", null, null, null, null, t.createdAt(), t.updatedAt(),
                t.stateChangedAt()));
        return id;
    }

    private TenantService tenantService() {
        return (TenantService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TenantService.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "find":
                    String key = (String) a[0];
                    return tenants.values().stream().filter(t -> t.id().equals(key) || t.slug().equals(key)).findFirst();
                case "list":
                    return new ArrayList<>(tenants.values());
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    private static JobService jobs() {
        return (JobService) Proxy.newProxyInstance(NotificationFixture.class.getClassLoader(), new Class<?>[] {JobService.class},
                (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Binds the tenant and the purpose, for the platform and operators only, as the tenant capability does. */
    final class Tenants implements TenantContext {
        @Override
        public <T> T callAs(String idOrSlug, Supplier<T> work) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T callAsPlatform(String idOrSlug, PlatformPurpose purpose, Supplier<T> work) {
            ExecutionContext c = ExecutionContext.require();
            PrincipalKind k = c.principal().map(Principal::kind).orElse(null);
            if (k != PrincipalKind.OPERATOR && k != PrincipalKind.SYSTEM) {
                throw new MamoriException(PlatformErrors.PLATFORM_ACCESS_DENIED, "Only operators and the platform itself.");
            }
            Tenant t = tenants.get(idOrSlug);
            if (t == null || t.state() == TenantState.PURGED) {
                throw new MamoriException(PlatformErrors.FORBIDDEN, "No tenant " + idOrSlug);
            }
            return c.withTenant(t.id()).withPurpose(purpose.code()).call(work);
        }
    }

    final class Events implements EventPublisher {
        final List<MamoriEvent> all = new CopyOnWriteArrayList<>();

        @Override
        public MamoriEvent publish(MamoriEvent.Builder event) {
            MamoriEvent e = event.build(clock, ExecutionContext.current().orElse(null));
            all.add(e);
            return e;
        }

        List<MamoriEvent> of(EventType type) {
            return all.stream().filter(e -> e.is(type)).collect(Collectors.toList());
        }
    }
}

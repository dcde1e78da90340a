package dev.mamori.retention.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.mamori.auth.Roles;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.IllegalTransitionException;
import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantNotFoundException;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;
import dev.mamori.testsupport.MutableClock;
import dev.mamori.testsupport.TestDatabase;

/**
 * The retention services on a real database (H2 or PostgreSQL, the bundle's migration, the
 * platform's unit of work) with a tenant lifecycle in memory (the tenant capability's rules: the
 * transitions it allows, the updatedAt check) and recorded events.
 */
final class RetentionFixture implements AutoCloseable {
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    final TestDatabase db;
    /** 2026-12-01 09:00 JST. */
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"), TOKYO);
    final List<MamoriEvent> events = new CopyOnWriteArrayList<>();
    final Tenants tenants = new Tenants();
    final RetentionCore core;
    final LegalHoldServiceImpl holds;
    final RetentionServiceImpl retention;
    final CalendarJob job;

    RetentionFixture(TestDatabase db) {
        this.db = db;
        Migrations.migrate(db.dataSource(), RetentionCore.class, "dev/mamori/retention/db", "mamori_schema_retention");
        EventPublisher publisher = new EventPublisher() {
            @Override
            public MamoriEvent publish(MamoriEvent.Builder event) {
                MamoriEvent e = event.build(clock, ExecutionContext.current().orElse(null));
                events.add(e);
                return e;
            }
        };
        core = new RetentionCore(new UnitDataSource(UnitDataSource.MAIN_STORE, db.dataSource()), publisher, UnitOfWork.get(), clock, 90);
        holds = new LegalHoldServiceImpl(core, tenants);
        retention = new RetentionServiceImpl(core, tenants, holds);
        job = new CalendarJob(core, tenants, retention);
    }

    static RetentionFixture h2() {
        return new RetentionFixture(TestDatabase.h2Memory());
    }

    static RetentionFixture postgres() {
        return new RetentionFixture(TestDatabase.postgres("retention"));
    }

    @Override
    public void close() {
        db.close();
    }

    List<MamoriEvent> of(EventType type) {
        return events.stream().filter(e -> e.is(type)).collect(Collectors.toList());
    }

    static Principal operator() {
        return Principal.operator("op-1", Set.of(Roles.OPERATOR));
    }

    static Principal admin(String tenant) {
        return Principal.user("admin-of-" + tenant, tenant, Set.of(Roles.TENANT_ADMIN));
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

    /** The calendar job's run to its end, as the job runner runs it: as the platform, step by step from its cursor. */
    long runCalendar() {
        return ExecutionContext.system("job:retention.calendar").call(() -> {
            String after = "";
            long taken = 0;
            for (Tenant t : tenants.list().stream().sorted(Comparator.comparing(Tenant::slug)).toList()) {
                if (t.slug().compareTo(after) > 0) {
                    taken += job.apply(t, retention.today());
                    after = t.slug();
                }
            }
            return taken;
        });
    }

    /** The tenant capability's lifecycle, in memory. */
    final class Tenants implements TenantService {
        final Map<String, Tenant> byId = new ConcurrentHashMap<>();

        /** A tenant as the tenant capability would hold it; the clock moves on a millisecond, as updates do. */
        String add(String slug, TenantState state, LocalDate trialEndsOn, LocalDate contractStart, LocalDate contractEnd,
                LocalDate terminationDate, Instant stateChangedAt) {
            String id = UUID.randomUUID().toString();
            Instant now = clock.instant();
            byId.put(id, new Tenant(id, slug, slug, state, contractStart == null ? "trial" : "standard", "jp", trialEndsOn, contractStart,
                    contractEnd, terminationDate, now, now, stateChangedAt == null ? now : stateChangedAt));
            return id;
        }

        Tenant with(Tenant t, TenantState state) {
            Instant now = clock.instant();
            return new Tenant(t.id(), t.slug(), t.displayName(), state, t.plan(), t.region(), t.trialEndsOn().orElse(null),
                    t.contractStart().orElse(null), t.contractEnd().orElse(null), t.terminationDate().orElse(null), t.createdAt(), now, now);
        }

        @Override
        public Optional<Tenant> find(String idOrSlug) {
            return byId.values().stream().filter(t -> t.id().equals(idOrSlug) || t.slug().equals(idOrSlug)).findFirst();
        }

        @Override
        public List<Tenant> list() {
            List<Tenant> all = new ArrayList<>(byId.values());
            all.sort(Comparator.comparing(Tenant::slug));
            return all;
        }

        private synchronized Tenant move(String idOrSlug, TenantState target, Instant seen) {
            ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
            Tenant t = find(idOrSlug).orElseThrow(() -> new TenantNotFoundException("No tenant " + idOrSlug));
            if (seen != null && !seen.equals(t.updatedAt())) {
                throw new IllegalTransitionException("changed since it was read");
            }
            if (!t.state().canMoveTo(target)) {
                throw new IllegalTransitionException(t.state() + " cannot become " + target);
            }
            Tenant after = with(t, target);
            byId.put(t.id(), after);
            // the next change is a later instant, as in the database
            clock.advance(java.time.Duration.ofMillis(1));
            return after;
        }

        @Override
        public Tenant expire(String idOrSlug) {
            return move(idOrSlug, TenantState.EXPIRED, null);
        }

        @Override
        public Tenant expire(String idOrSlug, Instant seen) {
            return move(idOrSlug, TenantState.EXPIRED, seen);
        }

        @Override
        public Tenant delete(String idOrSlug, String confirmation) {
            return delete(idOrSlug, confirmation, find(idOrSlug).map(Tenant::updatedAt).orElse(null));
        }

        @Override
        public Tenant delete(String idOrSlug, String confirmation, Instant seen) {
            if (!find(idOrSlug).map(Tenant::slug).orElse("").equals(confirmation)) {
                throw new InvalidTenantDataException("confirmation");
            }
            return move(idOrSlug, TenantState.DELETED, seen);
        }

        @Override
        public Tenant activate(String idOrSlug, String plan, LocalDate contractStart, LocalDate contractEnd) {
            Tenant t = move(idOrSlug, TenantState.ACTIVE, null);
            Tenant paid = new Tenant(t.id(), t.slug(), t.displayName(), TenantState.ACTIVE, plan, t.region(), t.trialEndsOn().orElse(null),
                    contractStart, contractEnd, null, t.createdAt(), t.updatedAt(), t.stateChangedAt());
            byId.put(t.id(), paid);
            return paid;
        }

        @Override
        public Tenant create(NewTenant tenant) {
            throw new UnsupportedOperationException("not used by retention");
        }

        @Override
        public Tenant terminate(String idOrSlug, LocalDate terminationDate) {
            throw new UnsupportedOperationException("not used by retention");
        }

        @Override
        public Tenant markPurged(String idOrSlug) {
            throw new UnsupportedOperationException("not used by retention");
        }
    }
}

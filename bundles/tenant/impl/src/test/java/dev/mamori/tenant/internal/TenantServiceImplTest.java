package dev.mamori.tenant.internal;

import static dev.mamori.tenant.internal.TestDb.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.tenant.DuplicateTenantException;
import dev.mamori.tenant.IllegalTransitionException;
import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantNotFoundException;
import dev.mamori.tenant.TenantState;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.TenantEvents;

/** TenantServiceImpl on a real H2 database, real EclipseLink and the real Flyway migrations. */
class TenantServiceImplTest {
    private static final LocalDate TOKYO_TODAY = LocalDate.of(2024, 4, 1);
    private static final Instant T1 = T0.plusSeconds(3600);
    private static final Instant T2 = T0.plusSeconds(7200);

    private TestDb db;
    private TenantServiceImpl service;
    private ExecutionContext.Binding operator;
    /** The lifecycle moves in the published events (creation, state changes), as transitions. */
    private final Moves seen = new Moves();

    /** One lifecycle move read back from an event. */
    record Move(TenantState from, TenantState to, String tenantId, Instant at) {
    }

    /** A view of the recorded events as moves; clear() forgets those seen so far. */
    final class Moves {
        private int from;

        List<Move> list() {
            List<Move> out = new ArrayList<>();
            List<MamoriEvent> all = db.events;
            for (MamoriEvent e : all.subList(Math.min(from, all.size()), all.size())) {
                Map<String, String> d = e.details();
                if (e.is(TenantEvents.CREATED)) {
                    out.add(new Move(null, TenantState.valueOf(d.get("state")), e.tenantId().orElseThrow(), e.at()));
                } else if ((e.is(TenantEvents.STATE_CHANGED) || e.is(TenantEvents.TERMINATED))
                        && !d.get("from").equals(d.get("to"))) {
                    out.add(new Move(TenantState.valueOf(d.get("from")), TenantState.valueOf(d.get("to")), e.tenantId().orElseThrow(), e.at()));
                }
            }
            return out;
        }

        Move get(int i) {
            return list().get(i);
        }

        int size() {
            return list().size();
        }

        boolean isEmpty() {
            return list().isEmpty();
        }

        void clear() {
            from = db.events.size();
        }

        java.util.stream.Stream<Move> stream() {
            return list().stream();
        }
    }

    @BeforeEach
    void setUp() {
        db = TestDb.fresh();
        service = db.tenants;
        // the lifecycle is an operator's business: operators see DELETED and PURGED tenants too
        operator = ExecutionContext.bind(ExecutionContext.builder(dev.mamori.platform.context.Channel.SHELL)
                .principal(Principal.operator("op", java.util.Set.of("operator"))).build());
    }

    @AfterEach
    void tearDown() {
        operator.close();
    }

    private Tenant trial(String slug) {
        return service.create(NewTenant.builder(slug, "Company " + slug).build());
    }

    private Tenant paid(String slug) {
        return service.create(NewTenant.builder(slug, "Company " + slug).plan("gold")
                .paid(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)).build());
    }

    @Nested
    @DisplayName("create")
    class Create {

        @Test
        @DisplayName("TEN-2/TEN-8: a trial tenant gets TRIAL, plan 'trial', region jp, trial end = Tokyo today + trial_days")
        void trialDefaults() {
            Tenant t = trial("acme");
            assertEquals(TenantState.TRIAL, t.state());
            assertEquals("acme", t.slug());
            assertEquals("Company acme", t.displayName());
            assertEquals("trial", t.plan());
            assertEquals("jp", t.region());
            // 2024-03-31T16:30Z is 2024-04-01 in Tokyo: 30 days later is 2024-05-01, not 2024-04-30
            assertEquals(Optional.of(TOKYO_TODAY.plusDays(30)), t.trialEndsOn());
            assertEquals(Optional.empty(), t.contractStart());
            assertEquals(Optional.empty(), t.contractEnd());
            assertEquals(Optional.empty(), t.terminationDate());
            assertEquals(T0, t.createdAt());
            assertEquals(T0, t.updatedAt());
            assertEquals(T0, t.stateChangedAt());
            assertTrue(t.id().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), t.id());
        }

        @Test
        @DisplayName("TEN-8: the created record is persisted exactly (read back from the database)")
        void persisted() throws Exception {
            Tenant t = trial("acme");
            db.emf.getCache().evictAll();
            Tenant back = service.get(t.id());
            assertEquals(t.slug(), back.slug());
            assertEquals(t.displayName(), back.displayName());
            assertEquals(t.state(), back.state());
            assertEquals(t.trialEndsOn(), back.trialEndsOn());
            assertEquals(T0, back.createdAt());
            assertEquals(T0, back.stateChangedAt());
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT state, created_at, trial_ends_on FROM mamori_tenant WHERE slug = 'acme'")) {
                assertTrue(rs.next());
                assertEquals("TRIAL", rs.getString(1));
                assertEquals(T0.toEpochMilli(), rs.getLong(2));
                assertEquals(TOKYO_TODAY.plusDays(30), rs.getObject(3, LocalDate.class));
            }
        }

        @Test
        @DisplayName("TEN-8: the configured trial_days is honoured")
        void configuredTrialDays() {
            Tenant t = db.newService(TestDb.config(14, "jp")).create(NewTenant.builder("acme", "Acme").build());
            assertEquals(Optional.of(TOKYO_TODAY.plusDays(14)), t.trialEndsOn());
        }

        @Test
        @DisplayName("TEN-8: an explicit trial end is kept; today (Tokyo) is allowed, yesterday is not")
        void explicitTrialEnd() {
            Tenant t = service.create(NewTenant.builder("acme", "Acme").trialEndsOn(TOKYO_TODAY).build());
            assertEquals(Optional.of(TOKYO_TODAY), t.trialEndsOn());
            InvalidTenantDataException e = assertThrows(InvalidTenantDataException.class,
                    () -> service.create(NewTenant.builder("late", "Late").trialEndsOn(TOKYO_TODAY.minusDays(1)).build()));
            assertTrue(e.getMessage().contains("trial end"), e.getMessage());
            assertEquals(Optional.empty(), service.find("late"));
        }

        @Test
        @DisplayName("TEN-2/TEN-8: a paid tenant starts ACTIVE with its contract dates and no trial end")
        void paidTenant() {
            Tenant t = paid("acme");
            assertEquals(TenantState.ACTIVE, t.state());
            assertEquals("gold", t.plan());
            assertEquals(Optional.of(LocalDate.of(2024, 1, 1)), t.contractStart());
            assertEquals(Optional.of(LocalDate.of(2024, 12, 31)), t.contractEnd());
            assertEquals(Optional.empty(), t.trialEndsOn());
        }

        @Test
        @DisplayName("TEN-8: a contract end before its start is refused")
        void contractEndBeforeStart() {
            assertThrows(InvalidTenantDataException.class, () -> service.create(NewTenant.builder("acme", "Acme")
                    .paid(LocalDate.of(2024, 5, 1), LocalDate.of(2024, 4, 30)).build()));
            assertEquals(List.of(), service.list());
        }

        @ParameterizedTest(name = "[{index}] \"{0}\"")
        @ValueSource(strings = {"", "ab", "-abc", "abc-", "Acme", "ac_me", "ac me", "ac.me", "acme\n", "äcme",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "123e4567-e89b-12d3-a456-426614174000"})
        @DisplayName("TEN-1: invalid slugs (length, characters, edges, UUID look-alike) are refused")
        void badSlug(String slug) {
            InvalidTenantDataException e = assertThrows(InvalidTenantDataException.class,
                    () -> service.create(NewTenant.builder(slug, "Acme").build()));
            assertEquals(InvalidTenantDataException.CODE, e.code());
            assertEquals(List.of(), service.list());
            assertTrue(seen.isEmpty());
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "a-1", "0ab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
        @DisplayName("TEN-1: slugs at the edges of the rule (3 and 63 characters, digits, '-') are accepted")
        void goodSlug(String slug) {
            assertEquals(slug, service.create(NewTenant.builder(slug, "Acme").build()).slug());
        }

        @ParameterizedTest(name = "[{index}] \"{0}\"")
        @ValueSource(strings = {"", "   ", "Acme\nInc", "Acme\u0000", "Tab\there"})
        @DisplayName("TEN-8: blank names and names with control characters are refused")
        void badName(String name) {
            assertThrows(InvalidTenantDataException.class, () -> service.create(NewTenant.builder("acme", name).build()));
            assertEquals(List.of(), service.list());
        }

        @Test
        @DisplayName("TEN-8: display names are stripped and limited to 200 characters")
        void nameLength() {
            assertEquals("Acme 株式会社", service.create(NewTenant.builder("acme", "  Acme 株式会社 ").build()).displayName());
            String n200 = "x".repeat(200);
            assertEquals(n200, service.create(NewTenant.builder("long", n200).build()).displayName());
            assertThrows(InvalidTenantDataException.class,
                    () -> service.create(NewTenant.builder("longer", n200 + "y").build()));
        }

        @ParameterizedTest(name = "[{index}] \"{0}\"")
        @ValueSource(strings = {"", "Gold", "-gold", "gold plan", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
        @DisplayName("TEN-8: invalid plan names are refused")
        void badPlan(String plan) {
            assertThrows(InvalidTenantDataException.class,
                    () -> service.create(NewTenant.builder("acme", "Acme").plan(plan).build()));
            assertEquals(List.of(), service.list());
        }

        @ParameterizedTest(name = "[{index}] \"{0}\"")
        @ValueSource(strings = {"", "us", "JP", "j", "jp ", "eu-west"})
        @DisplayName("TEN-6: a region this deployment has no storage for is refused")
        void badRegion(String region) {
            InvalidTenantDataException e = assertThrows(InvalidTenantDataException.class,
                    () -> service.create(NewTenant.builder("acme", "Acme").region(region).build()));
            assertTrue(e.getMessage().contains("[jp]"), e.getMessage());
            assertEquals(List.of(), service.list());
        }

        @Test
        @DisplayName("TEN-6: regions come from configuration")
        void configuredRegions() {
            TenantServiceImpl other = db.newService(TestDb.config(30, "jp", "eu-west"));
            assertEquals("eu-west", other.create(NewTenant.builder("acme", "Acme").region("eu-west").build()).region());
            assertThrows(InvalidTenantDataException.class,
                    () -> other.create(NewTenant.builder("other", "Other").region("us").build()));
        }

        @Test
        @DisplayName("TEN-1: a second tenant with the same slug is refused with DuplicateTenantException")
        void duplicateSlug() {
            Tenant first = trial("acme");
            seen.clear();
            DuplicateTenantException e = assertThrows(DuplicateTenantException.class,
                    () -> service.create(NewTenant.builder("acme", "Other Inc").plan("gold").build()));
            assertEquals(DuplicateTenantException.CODE, e.code());
            assertTrue(e.getMessage().contains("acme"));
            assertEquals(List.of(first.id()), service.list().stream().map(Tenant::id).collect(Collectors.toList()));
            assertEquals("Company acme", service.get("acme").displayName());
            assertTrue(seen.isEmpty(), "no creation announced for the refused duplicate");
        }

        @Test
        @DisplayName("TEN-2: creation is published as null -> TRIAL at the clock's instant, naming who acted")
        void creationAnnounced() {
            Tenant t = trial("acme");
            assertEquals(1, seen.size());
            Move tr = seen.get(0);
            assertNull(tr.from());
            assertEquals(TenantState.TRIAL, tr.to());
            assertEquals(t.id(), tr.tenantId());
            assertEquals(T0, tr.at());
            MamoriEvent e = db.events.get(0);
            assertEquals("op", e.principalId().orElseThrow(), "who created it is recorded");
            assertEquals("tenant", e.targetType().orElseThrow());
        }
    }

    @Nested
    @DisplayName("find and list")
    class FindAndList {

        @Test
        @DisplayName("TEN-1: find by id and by slug return the same tenant")
        void findByIdAndSlug() {
            Tenant t = trial("acme");
            trial("other");
            assertEquals(t.id(), service.find(t.id()).orElseThrow().id());
            assertEquals(t.id(), service.find("acme").orElseThrow().id());
            assertEquals(t.id(), service.get("acme").id());
        }

        @Test
        @DisplayName("TEN-1: unknown, empty, null and over-long handles find nothing")
        void findNothing() {
            trial("acme");
            assertEquals(Optional.empty(), service.find("nope"));
            assertEquals(Optional.empty(), service.find("00000000-0000-0000-0000-000000000000"));
            assertEquals(Optional.empty(), service.find(null));
            assertEquals(Optional.empty(), service.find(""));
            assertEquals(Optional.empty(), service.find("a".repeat(64)));
            TenantNotFoundException e = assertThrows(TenantNotFoundException.class, () -> service.get("nope"));
            assertEquals(TenantNotFoundException.CODE, e.code());
        }

        @Test
        @DisplayName("TEN-1: list returns every tenant, in any state, ordered by slug")
        void list() {
            trial("mid");
            paid("zulu");
            Tenant alpha = trial("alpha");
            service.delete(alpha.id(), "alpha");
            assertEquals(List.of("alpha", "mid", "zulu"),
                    service.list().stream().map(Tenant::slug).collect(Collectors.toList()));
            assertEquals(TenantState.DELETED, service.list().get(0).state());
        }

        @Test
        @DisplayName("TEN-1: an empty deployment lists no tenants")
        void listEmpty() {
            assertEquals(List.of(), service.list());
        }
    }

    @Nested
    @DisplayName("lifecycle")
    class Lifecycle {

        @Test
        @DisplayName("TEN-2: activate TRIAL -> ACTIVE sets plan, contract (start defaults to Tokyo today) and timestamps")
        void activateTrial() {
            Tenant t = trial("acme");
            db.clock(T1);
            Tenant a = service.activate("acme", "gold", null, LocalDate.of(2025, 3, 31));
            assertEquals(TenantState.ACTIVE, a.state());
            assertEquals("gold", a.plan());
            assertEquals(Optional.of(TOKYO_TODAY), a.contractStart());
            assertEquals(Optional.of(LocalDate.of(2025, 3, 31)), a.contractEnd());
            assertEquals(T0, a.createdAt());
            assertEquals(T1, a.updatedAt());
            assertEquals(T1, a.stateChangedAt());
            Tenant back = service.get(t.id());
            assertEquals(TenantState.ACTIVE, back.state());
            assertEquals("gold", back.plan());
            assertEquals(T1, back.stateChangedAt());
        }

        @Test
        @DisplayName("TEN-3: activate EXPIRED -> ACTIVE (renewal) clears the termination date")
        void renew() {
            paid("acme");
            service.terminate("acme", LocalDate.of(2024, 4, 30));
            Tenant renewed = service.activate("acme", "gold", LocalDate.of(2024, 5, 1), null);
            assertEquals(TenantState.ACTIVE, renewed.state());
            assertEquals(Optional.empty(), renewed.terminationDate());
            assertEquals(Optional.empty(), renewed.contractEnd());
            assertEquals(Optional.empty(), service.get("acme").terminationDate());
        }

        @Test
        @DisplayName("TEN-8: activate with an invalid plan or a contract ending before it starts changes nothing")
        void activateInvalid() {
            Tenant t = trial("acme");
            db.clock(T1);
            assertThrows(InvalidTenantDataException.class, () -> service.activate("acme", "Gold!", null, null));
            assertThrows(InvalidTenantDataException.class, () -> service.activate("acme", null, null, null));
            assertThrows(InvalidTenantDataException.class,
                    () -> service.activate("acme", "gold", LocalDate.of(2024, 5, 1), LocalDate.of(2024, 4, 1)));
            Tenant back = service.get("acme");
            assertEquals(TenantState.TRIAL, back.state());
            assertEquals("trial", back.plan());
            assertEquals(Optional.empty(), back.contractStart());
            assertEquals(t.updatedAt(), back.updatedAt());
            assertEquals(1, seen.size(), "only the creation was announced");
        }

        @Test
        @DisplayName("TEN-2/TEN-3: expire moves TRIAL and ACTIVE to EXPIRED and keeps the data")
        void expire() {
            trial("trial-1");
            paid("paid-1");
            db.clock(T1);
            Tenant a = service.expire("trial-1");
            Tenant b = service.expire("paid-1");
            assertEquals(TenantState.EXPIRED, a.state());
            assertEquals(TenantState.EXPIRED, b.state());
            assertEquals(T1, a.stateChangedAt());
            assertEquals("gold", b.plan());
            assertEquals(Optional.of(LocalDate.of(2024, 1, 1)), b.contractStart());
            assertEquals(TenantState.EXPIRED, service.get("paid-1").state());
        }

        @Test
        @DisplayName("TEN-4: delete works from TRIAL, ACTIVE and EXPIRED (before or after expiry)")
        void delete() {
            trial("trial-1");
            paid("paid-1");
            trial("expired-1");
            service.expire("expired-1");
            for (String slug : List.of("trial-1", "paid-1", "expired-1")) {
                assertEquals(TenantState.DELETED, service.delete(slug, slug).state(), slug);
                assertEquals(TenantState.DELETED, service.get(slug).state(), slug);
            }
        }

        @Test
        @DisplayName("TEN-3, TEN-4: a job's expire or delete acts only on the tenant as it read it: one renewed meanwhile is left alone")
        void onlyIfUnchanged() {
            Tenant seenTrial = trial("trial-1");
            Tenant seenPaid = paid("paid-1");
            db.clock(T1);
            service.expire("paid-1");
            service.activate("paid-1", "gold", null, null);
            Tenant renewed = service.get("paid-1");
            assertThrows(IllegalTransitionException.class, () -> service.delete("paid-1", "paid-1", seenPaid.updatedAt()));
            assertThrows(IllegalTransitionException.class, () -> service.expire("paid-1", seenPaid.updatedAt()));
            assertEquals(TenantState.ACTIVE, service.get("paid-1").state(), "renewed, so left alone");
            assertEquals(renewed.updatedAt(), service.get("paid-1").updatedAt());
            assertEquals(TenantState.EXPIRED, service.expire("trial-1", seenTrial.updatedAt()).state());
            Tenant expired = service.get("trial-1");
            assertThrows(InvalidTenantDataException.class, () -> service.delete("trial-1", "other", expired.updatedAt()));
            assertEquals(TenantState.DELETED, service.delete("trial-1", "trial-1", expired.updatedAt()).state());
        }

        @Test
        @DisplayName("TEN-4: delete by id is confirmed with the slug, not the id")
        void deleteByIdConfirmedBySlug() {
            Tenant t = trial("acme");
            assertThrows(InvalidTenantDataException.class, () -> service.delete(t.id(), t.id()));
            assertEquals(TenantState.DELETED, service.delete(t.id(), "acme").state());
        }

        @ParameterizedTest
        @ValueSource(strings = {"acm", "acme ", "ACME", "other", ""})
        @DisplayName("TEN-4: delete with a confirmation that is not the slug is refused and changes nothing")
        void deleteMismatch(String confirmation) {
            Tenant before = trial("acme");
            seen.clear();
            db.clock(T2);
            InvalidTenantDataException e = assertThrows(InvalidTenantDataException.class,
                    () -> service.delete("acme", confirmation));
            assertEquals(InvalidTenantDataException.CODE, e.code());
            assertTrue(e.getMessage().contains("'acme'") && e.getMessage().contains("nothing deleted"), e.getMessage());
            Tenant unchanged = service.get("acme");
            assertEquals(TenantState.TRIAL, unchanged.state());
            assertEquals(before.updatedAt(), unchanged.updatedAt());
            assertTrue(seen.isEmpty(), "a refused delete is not announced");
        }

        @Test
        @DisplayName("TEN-4: delete without a confirmation is refused")
        void deleteWithoutConfirmation() {
            trial("acme");
            assertThrows(InvalidTenantDataException.class, () -> service.delete("acme", null));
            assertEquals(TenantState.TRIAL, service.get("acme").state());
        }

        @Test
        @DisplayName("TEN-4: markPurged moves DELETED to PURGED; the record itself remains")
        void markPurged() {
            Tenant t = trial("acme");
            service.delete("acme", "acme");
            db.clock(T2);
            Tenant p = service.markPurged(t.id());
            assertEquals(TenantState.PURGED, p.state());
            assertEquals(T2, p.stateChangedAt());
            assertEquals(TenantState.PURGED, service.get(t.id()).state());
        }

        @Test
        @DisplayName("TEN-2: lifecycle methods on an unknown tenant throw TenantNotFoundException")
        void unknownTenant() {
            assertThrows(TenantNotFoundException.class, () -> service.expire("nope"));
            assertThrows(TenantNotFoundException.class, () -> service.delete("00000000-0000-0000-0000-000000000000", "acme"));
            assertThrows(TenantNotFoundException.class, () -> service.activate("nope", "gold", null, null));
            assertThrows(TenantNotFoundException.class, () -> service.terminate("nope", TOKYO_TODAY));
            assertThrows(TenantNotFoundException.class, () -> service.markPurged("nope"));
        }
    }

    /** Puts a fresh tenant into {@code state} through the service itself. */
    private Tenant tenantIn(TenantState state, String slug) {
        switch (state) {
            case TRIAL:
                return trial(slug);
            case ACTIVE:
                return paid(slug);
            case EXPIRED:
                trial(slug);
                return service.expire(slug);
            case DELETED:
                trial(slug);
                return service.delete(slug, slug);
            case PURGED:
                trial(slug);
                service.delete(slug, slug);
                return service.markPurged(slug);
            default:
                throw new AssertionError(state);
        }
    }

    /** The specified lifecycle, independent of TenantState's own table. */
    private static final Set<String> LEGAL = Set.of("TRIAL->ACTIVE", "TRIAL->EXPIRED", "TRIAL->DELETED",
            "ACTIVE->EXPIRED", "ACTIVE->DELETED", "EXPIRED->ACTIVE", "EXPIRED->DELETED", "DELETED->PURGED");

    static Stream<Arguments> serviceTransitions() {
        List<Arguments> out = new ArrayList<>();
        for (TenantState from : TenantState.values()) {
            for (TenantState to : List.of(TenantState.ACTIVE, TenantState.EXPIRED, TenantState.DELETED, TenantState.PURGED)) {
                out.add(Arguments.of(from, to, LEGAL.contains(from + "->" + to)));
            }
        }
        return out.stream();
    }

    private Tenant move(String slug, TenantState to) {
        switch (to) {
            case ACTIVE:
                return service.activate(slug, "gold", null, null);
            case EXPIRED:
                return service.expire(slug);
            case DELETED:
                return service.delete(slug, slug);
            case PURGED:
                return service.markPurged(slug);
            default:
                throw new AssertionError(to);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} legal={2}")
    @MethodSource("serviceTransitions")
    @DisplayName("TEN-2: every service transition from every state is allowed or refused as the lifecycle says")
    void everyTransition(TenantState from, TenantState to, boolean legal) {
        Tenant before = tenantIn(from, "acme");
        assertEquals(from, before.state());
        seen.clear();
        db.clock(T2);
        if (legal) {
            Tenant after = move("acme", to);
            assertEquals(to, after.state());
            assertEquals(T2, after.stateChangedAt());
            assertEquals(to, service.get("acme").state());
            assertEquals(1, seen.size());
            assertEquals(from, seen.get(0).from());
            assertEquals(to, seen.get(0).to());
            assertEquals(T2, seen.get(0).at());
        } else {
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> move("acme", to));
            assertEquals(IllegalTransitionException.CODE, e.code());
            assertTrue(e.getMessage().contains("from " + from + " to " + to), e.getMessage());
            Tenant unchanged = service.get("acme");
            assertEquals(from, unchanged.state());
            assertEquals(before.updatedAt(), unchanged.updatedAt());
            assertEquals(before.plan(), unchanged.plan());
            assertTrue(seen.isEmpty(), "a refused transition is not announced");
        }
    }

    @Test
    @DisplayName("TEN-4: the message for a PURGED tenant says it is final")
    void purgedMessage() {
        tenantIn(TenantState.PURGED, "acme");
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> service.delete("acme", "acme"));
        assertTrue(e.getMessage().contains("PURGED"), e.getMessage());
        assertTrue(e.getMessage().contains("final"), e.getMessage());
    }

    @Nested
    @DisplayName("terminate")
    class Terminate {

        @ParameterizedTest
        @ValueSource(strings = {"TRIAL", "ACTIVE"})
        @DisplayName("TEN-5: terminating a tenant with access records the date and moves it to EXPIRED")
        void withAccess(String state) {
            Tenant t = tenantIn(TenantState.valueOf(state), "acme");
            seen.clear();
            db.clock(T1);
            LocalDate date = LocalDate.of(2024, 4, 30);
            Tenant after = service.terminate("acme", date);
            assertEquals(TenantState.EXPIRED, after.state());
            assertEquals(Optional.of(date), after.terminationDate());
            assertEquals(T1, after.stateChangedAt());
            assertEquals(T1, after.updatedAt());
            Tenant back = service.get(t.id());
            assertEquals(TenantState.EXPIRED, back.state());
            assertEquals(Optional.of(date), back.terminationDate());
            assertEquals(1, seen.size());
            assertEquals(TenantState.valueOf(state), seen.get(0).from());
            assertEquals(TenantState.EXPIRED, seen.get(0).to());
        }

        @Test
        @DisplayName("TEN-5: terminating an EXPIRED tenant records the date without a state change or announcement")
        void expired() {
            Tenant expired = tenantIn(TenantState.EXPIRED, "acme");
            seen.clear();
            db.clock(T2);
            Tenant after = service.terminate("acme", LocalDate.of(2024, 6, 30));
            assertEquals(TenantState.EXPIRED, after.state());
            assertEquals(Optional.of(LocalDate.of(2024, 6, 30)), after.terminationDate());
            assertEquals(expired.stateChangedAt(), after.stateChangedAt());
            assertEquals(T2, after.updatedAt());
            assertTrue(seen.isEmpty());
            MamoriEvent recorded = db.events.get(db.events.size() - 1);
            assertEquals(TenantEvents.TERMINATED.name(), recorded.type(), "the termination is still recorded for the audit trail");
            assertEquals("2024-06-30", recorded.details().get("terminationDate"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"DELETED", "PURGED"})
        @DisplayName("TEN-5: a termination cannot be recorded for a DELETED or PURGED tenant")
        void gone(String state) {
            Tenant before = tenantIn(TenantState.valueOf(state), "acme");
            seen.clear();
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                    () -> service.terminate("acme", TOKYO_TODAY));
            assertTrue(e.getMessage().contains(state), e.getMessage());
            Tenant back = service.get("acme");
            assertEquals(Optional.empty(), back.terminationDate());
            assertEquals(before.updatedAt(), back.updatedAt());
            assertTrue(seen.isEmpty());
        }

        @Test
        @DisplayName("TEN-5: a termination needs a date")
        void needsDate() {
            trial("acme");
            assertThrows(InvalidTenantDataException.class, () -> service.terminate("acme", null));
            assertEquals(TenantState.TRIAL, service.get("acme").state());
        }
    }

    @Nested
    @DisplayName("events")
    class Events {

        @Test
        @DisplayName("TEN-2: every committed transition is published in order, with the state after it")
        void sequence() {
            Tenant t = trial("acme");
            db.clock(T1);
            service.activate("acme", "gold", null, null);
            db.clock(T2);
            service.expire("acme");
            service.delete("acme", "acme");
            service.markPurged("acme");
            List<String> moves = seen.stream().map(tr -> tr.from() + "->" + tr.to()).collect(Collectors.toList());
            assertEquals(List.of("null->TRIAL", "TRIAL->ACTIVE", "ACTIVE->EXPIRED", "EXPIRED->DELETED", "DELETED->PURGED"), moves);
            assertTrue(seen.stream().allMatch(tr -> tr.tenantId().equals(t.id())));
            assertEquals(T1, seen.get(1).at());
            assertEquals(T2, seen.get(4).at());
        }

        @Test
        @DisplayName("AUD-1: when the event cannot be recorded (a required listener failed) the transition does not happen")
        void failedEventUndoesTheTransition() {
            trial("acme");
            db.failPublishing = new dev.mamori.platform.error.MamoriException(dev.mamori.platform.error.PlatformErrors.EVENT_DELIVERY_FAILED,
                    "audit down");
            assertThrows(dev.mamori.platform.error.MamoriException.class, () -> service.expire("acme"));
            assertThrows(dev.mamori.platform.error.MamoriException.class, () -> service.delete("acme", "acme"));
            assertThrows(dev.mamori.platform.error.MamoriException.class, () -> service.terminate("acme", TOKYO_TODAY));
            assertThrows(dev.mamori.platform.error.MamoriException.class, () -> trial("other"));
            db.failPublishing = null;
            assertEquals(TenantState.TRIAL, service.get("acme").state(), "rolled back with the failed event");
            assertEquals(Optional.empty(), service.get("acme").terminationDate());
            assertFalse(service.find("other").isPresent(), "no tenant without its creation event");
        }
    }

    @Nested
    @DisplayName("visibility")
    class Visibility {

        @Test
        @DisplayName("TEN-4: to anyone but operators, support and the platform, a DELETED or PURGED tenant does not exist")
        void deletedTenantsAreInvisibleToUsers() {
            Tenant gone = trial("gone");
            service.delete("gone", "gone");
            Tenant live = trial("live");
            ExecutionContext user = ExecutionContext.builder(dev.mamori.platform.context.Channel.REST)
                    .principal(Principal.user("u-1", live.id(), java.util.Set.of("employee"))).build();
            ExecutionContext nobody = ExecutionContext.builder(dev.mamori.platform.context.Channel.INTERNAL).build();
            for (ExecutionContext c : List.of(user, nobody)) {
                c.run(() -> {
                    assertFalse(service.find("gone").isPresent());
                    assertFalse(service.find(gone.id()).isPresent());
                    // the lifecycle is refused before any lookup: the same answer as for a tenant that never was
                    MamoriException e = assertThrows(MamoriException.class, () -> service.expire("gone"));
                    assertTrue(e.kind() == ErrorKind.FORBIDDEN || e.kind() == ErrorKind.UNAUTHENTICATED, e.toString());
                    assertEquals(e.getMessage(), assertThrows(MamoriException.class, () -> service.expire("never")).getMessage());
                    assertTrue(service.list().stream().noneMatch(x -> x.slug().equals("gone")));
                });
            }
            assertEquals(TenantState.DELETED, service.get("gone").state(), "operators still see it");
        }

        @Test
        @DisplayName("TEN-1: a tenant's user sees its own tenant only")
        void usersSeeTheirOwnTenant() {
            Tenant a = trial("alpha");
            Tenant b = trial("bravo");
            ExecutionContext.builder(dev.mamori.platform.context.Channel.REST)
                    .principal(Principal.user("u-1", a.id(), java.util.Set.of("employee"))).build().run(() -> {
                        assertEquals(List.of("alpha"), service.list().stream().map(Tenant::slug).collect(Collectors.toList()));
                        assertFalse(service.find(b.id()).isPresent());
                        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> service.expire("bravo")).kind(),
                                "AUD-4: the lifecycle is checked in the service, not only by REST and the shell");
                    });
            assertEquals(TenantState.TRIAL, service.get("bravo").state());
        }

        @Test
        @DisplayName("TEN-1: a slug stays taken by a DELETED tenant")
        void deletedSlugStaysTaken() {
            trial("acme");
            service.delete("acme", "acme");
            assertThrows(DuplicateTenantException.class, () -> trial("acme"));
        }

        @Test
        @DisplayName("AUD-4, TEN-2: only operators and the platform itself change tenants; no context, a user or support is refused")
        void lifecycleIsForThePlatform() {
            trial("acme");
            ExecutionContext support = ExecutionContext.builder(dev.mamori.platform.context.Channel.REST)
                    .principal(Principal.support("s-1", java.util.Set.of("support"))).build();
            ExecutionContext nobody = ExecutionContext.builder(dev.mamori.platform.context.Channel.INTERNAL).build();
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> support.run(() -> trial("other"))).kind());
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> support.run(() -> service.expire("acme"))).kind());
            assertEquals(ErrorKind.UNAUTHENTICATED, assertThrows(MamoriException.class,
                    () -> nobody.run(() -> service.terminate("acme", LocalDate.of(2030, 1, 1)))).kind());
            assertEquals(TenantState.TRIAL, service.get("acme").state());
            assertTrue(service.find("other").isEmpty());
            assertEquals(TenantState.EXPIRED, ExecutionContext.system("retention").call(() -> service.expire("acme")).state(),
                    "the platform's own jobs may");
        }
    }
}

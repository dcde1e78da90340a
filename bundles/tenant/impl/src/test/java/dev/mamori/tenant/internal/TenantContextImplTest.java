package dev.mamori.tenant.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantNotFoundException;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** TenantContextImpl over an in-memory TenantService (the context only ever looks tenants up). */
class TenantContextImplTest {

    /** Looks tenants up by id or slug; nothing else is needed by the context. */
    static final class FakeTenants implements TenantService {
        final Map<String, Tenant> byId = new LinkedHashMap<>();

        Tenant add(String slug, TenantState state) {
            Instant now = Instant.parse("2024-04-01T00:00:00Z");
            Tenant t = new Tenant(UUID.randomUUID().toString(), slug, slug, state, "trial", "jp", null, null, null,
                    null, now, now, now);
            byId.put(t.id(), t);
            return t;
        }

        @Override
        public Optional<Tenant> find(String idOrSlug) {
            return byId.values().stream().filter(t -> t.id().equals(idOrSlug) || t.slug().equals(idOrSlug)).findFirst();
        }

        @Override public Tenant create(NewTenant tenant) { throw new UnsupportedOperationException(); }
        @Override public List<Tenant> list() { throw new UnsupportedOperationException(); }
        @Override public Tenant activate(String i, String p, LocalDate s, LocalDate e) { throw new UnsupportedOperationException(); }
        @Override public Tenant expire(String idOrSlug) { throw new UnsupportedOperationException(); }
        @Override public Tenant delete(String idOrSlug, String confirmation) { throw new UnsupportedOperationException(); }
        @Override public Tenant terminate(String idOrSlug, LocalDate d) { throw new UnsupportedOperationException(); }
        @Override public Tenant markPurged(String idOrSlug) { throw new UnsupportedOperationException(); }
    }

    static final PlatformPurpose EXPORT = PlatformPurpose.of("test.export", "export for the customer");
    static final PlatformPurpose PURGE = PlatformPurpose.of("test.purge", "purge after 30 days");

    private FakeTenants tenants;
    private TenantContextImpl context;
    private final List<MamoriEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final EventPublisher publisher = e -> {
        MamoriEvent ev = e.build(Instant.now(), ExecutionContext.current().orElse(null));
        events.add(ev);
        return ev;
    };
    private final ExecutionContext operator = ExecutionContext.builder(Channel.SHELL)
            .principal(Principal.operator("op", java.util.Set.of("operator"))).clientIp("127.0.0.1").build();
    private Tenant a;
    private Tenant b;

    /** Platform work as an operator, the way the shell binds it. */
    private <T> T platform(String tenant, PlatformPurpose purpose, java.util.function.Supplier<T> work) {
        return operator.call(() -> context.callAsPlatform(tenant, purpose, work));
    }

    @BeforeEach
    void setUp() {
        tenants = new FakeTenants();
        context = new TenantContextImpl(tenants, publisher);
        a = tenants.add("alpha", TenantState.ACTIVE);
        b = tenants.add("bravo", TenantState.TRIAL);
    }

    @Test
    @DisplayName("TEN-1: outside callAs no tenant is bound and requireTenantId fails closed")
    void nothingBoundOutside() {
        assertEquals(Optional.empty(), context.currentTenantId());
        NoTenantContextException e = assertThrows(NoTenantContextException.class, context::requireTenantId);
        assertEquals(NoTenantContextException.CODE, e.code());
    }

    @Test
    @DisplayName("TEN-1: callAs binds the tenant's id (also when given the slug) for the work and unbinds after")
    void callAsBindsAndUnbinds() {
        String seenInside = context.callAs("alpha", () -> context.requireTenantId());
        assertEquals(a.id(), seenInside);
        assertEquals(Optional.empty(), context.currentTenantId());
        assertEquals(Optional.of(b.id()), context.callAs(b.id(), context::currentTenantId));
        assertEquals(Optional.empty(), context.currentTenantId());
    }

    @Test
    @DisplayName("TEN-1: runAs runs the work with the tenant bound")
    void runAs() {
        AtomicReference<String> inside = new AtomicReference<>();
        context.runAs("bravo", () -> inside.set(context.requireTenantId()));
        assertEquals(b.id(), inside.get());
        assertEquals(Optional.empty(), context.currentTenantId());
    }

    @Test
    @DisplayName("TEN-1: nesting the same tenant (by slug inside id) is allowed and keeps the outer binding")
    void nestedSameTenant() {
        List<String> trace = new ArrayList<>();
        context.callAs(a.id(), () -> {
            trace.add(context.requireTenantId());
            context.runAs("alpha", () -> trace.add(context.requireTenantId()));
            trace.add(context.requireTenantId());
            return null;
        });
        assertEquals(List.of(a.id(), a.id(), a.id()), trace);
        assertEquals(Optional.empty(), context.currentTenantId());
    }

    @Test
    @DisplayName("TEN-1: a different tenant inside a bound one is refused (tenant-context-conflict); the outer binding survives")
    void nestedDifferentTenant() {
        AtomicBoolean innerRan = new AtomicBoolean();
        String after = context.callAs("alpha", () -> {
            TenantException e = assertThrows(TenantException.class, () -> context.runAs("bravo", () -> innerRan.set(true)));
            assertEquals("tenant-context-conflict", e.code());
            return context.requireTenantId();
        });
        operator.run(() -> context.callAs("alpha", () -> {
            TenantException p = assertThrows(TenantException.class,
                    () -> context.callAsPlatform("bravo", EXPORT, () -> innerRan.getAndSet(true)));
            assertEquals("tenant-context-conflict", p.code());
            return null;
        }));
        assertFalse(innerRan.get());
        assertEquals(a.id(), after);
        assertEquals(Optional.empty(), context.currentTenantId());
    }

    @Test
    @DisplayName("TEN-1: the binding is removed even if the work throws, and the work's exception comes out unchanged")
    void unbindOnThrow() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> context.callAs("alpha", () -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(Optional.empty(), context.currentTenantId());
        assertThrows(IllegalStateException.class, () -> platform("alpha", PURGE, () -> {
            throw boom;
        }));
        assertEquals(Optional.empty(), context.currentTenantId());
        // and another tenant can be bound afterwards: nothing stale blocks it
        assertEquals(b.id(), context.callAs("bravo", context::requireTenantId));
    }

    @Test
    @DisplayName("TEN-1: a nested call that throws restores the outer binding")
    void nestedThrowRestoresOuter() {
        String after = context.callAs("alpha", () -> {
            assertThrows(IllegalStateException.class, () -> context.runAs("alpha", () -> {
                throw new IllegalStateException();
            }));
            return context.requireTenantId();
        });
        assertEquals(a.id(), after);
    }

    @Test
    @DisplayName("TEN-1: the binding belongs to the calling thread only")
    void threadConfined() throws Exception {
        Optional<String> otherThread = context.callAs("alpha",
                () -> CompletableFuture.supplyAsync(context::currentTenantId).join());
        assertEquals(Optional.empty(), otherThread);
    }

    @ParameterizedTest
    @EnumSource(value = TenantState.class, names = {"TRIAL", "ACTIVE"})
    @DisplayName("TEN-2: users of TRIAL and ACTIVE tenants get their data")
    void accessibleStates(TenantState state) {
        Tenant t = tenants.add("t-" + state.name().toLowerCase(), state);
        assertEquals(t.id(), context.callAs(t.slug(), context::requireTenantId));
    }

    @Test
    @DisplayName("TEN-2: users of an EXPIRED tenant are blocked (TenantNotAccessibleException)")
    void expiredIsLocked() {
        Tenant t = tenants.add("locked", TenantState.EXPIRED);
        AtomicBoolean ran = new AtomicBoolean();
        TenantNotAccessibleException e = assertThrows(TenantNotAccessibleException.class,
                () -> context.callAs(t.id(), () -> ran.getAndSet(true)));
        assertEquals(TenantNotAccessibleException.CODE, e.code());
        assertTrue(e.getMessage().contains("EXPIRED"), e.getMessage());
        assertFalse(ran.get());
        assertEquals(Optional.empty(), context.currentTenantId());
    }

    @ParameterizedTest
    @EnumSource(value = TenantState.class, names = {"DELETED", "PURGED"})
    @DisplayName("TEN-4: to tenant-facing calls a DELETED or PURGED tenant does not exist: the same answer as an unknown one")
    void deletedIsUnknown(TenantState state) {
        Tenant t = tenants.add("gone", state);
        AtomicBoolean ran = new AtomicBoolean();
        TenantNotFoundException byId = assertThrows(TenantNotFoundException.class, () -> context.callAs(t.id(), () -> ran.getAndSet(true)));
        TenantNotFoundException unknown = assertThrows(TenantNotFoundException.class,
                () -> context.callAs("c0ffee00-0000-4000-8000-000000000000", () -> ran.getAndSet(true)));
        assertEquals(unknown.getMessage().replace("c0ffee00-0000-4000-8000-000000000000", t.id()), byId.getMessage());
        assertEquals(TenantNotFoundException.CODE, byId.code());
        assertFalse(byId.getMessage().contains(state.name()));
        assertFalse(ran.get());
    }

    @Test
    @DisplayName("TEN-1: a tenant's user reaches its own tenant only; another tenant is answered as unknown")
    void usersReachTheirOwnTenantOnly() {
        ExecutionContext user = ExecutionContext.builder(Channel.REST).principal(Principal.user("u-1", a.id(), java.util.Set.of())).build();
        assertEquals(a.id(), user.call(() -> context.callAs("alpha", context::requireTenantId)));
        assertThrows(TenantNotFoundException.class, () -> user.call(() -> context.callAs("bravo", () -> null)));
    }

    @Test
    @DisplayName("TEN-1: an unknown tenant is TenantNotFoundException, and nothing runs")
    void unknown() {
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(TenantNotFoundException.class, () -> context.callAs("nope", () -> ran.getAndSet(true)));
        assertThrows(TenantNotFoundException.class, () -> platform("nope", PURGE, () -> ran.getAndSet(true)));
        assertFalse(ran.get());
    }

    @ParameterizedTest
    @EnumSource(value = TenantState.class, names = {"TRIAL", "ACTIVE", "EXPIRED", "DELETED"})
    @DisplayName("TEN-3/TEN-4: callAsPlatform reaches a tenant in any state but PURGED (purge, export of a locked tenant)")
    void platformReachesLocked(TenantState state) {
        Tenant t = tenants.add("locked", state);
        assertEquals(t.id(), platform("locked", PURGE, context::requireTenantId));
        assertEquals(Optional.empty(), context.currentTenantId());
        MamoriEvent access = events.get(events.size() - 1);
        assertEquals(PlatformEvents.PLATFORM_ACCESS.name(), access.type());
        assertEquals(t.id(), access.tenantId().orElseThrow());
        assertEquals("test.purge", access.details().get("purpose"));
        assertEquals("test.purge", access.purpose().orElseThrow());
        assertEquals("op", access.principalId().orElseThrow());
        assertEquals("127.0.0.1", access.clientIp().orElseThrow());
    }

    @Test
    @DisplayName("TEN-4: callAsPlatform refuses a PURGED tenant")
    void platformRefusesPurged() {
        tenants.add("gone", TenantState.PURGED);
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(TenantNotAccessibleException.class, () -> platform("gone", EXPORT, () -> ran.getAndSet(true)));
        assertFalse(ran.get());
    }

    @Test
    @DisplayName("OPS-2: platform access is for operators and the platform only: not without a context, not for users, plugins or support")
    void platformAccessIsRestricted() {
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(PlatformErrors.NO_EXECUTION_CONTEXT.code(), assertThrows(MamoriException.class,
                () -> context.callAsPlatform("alpha", EXPORT, () -> ran.getAndSet(true))).code());
        for (Principal p : List.of(Principal.user("u", a.id(), java.util.Set.of("tenant-admin")),
                Principal.plugin("p", null, java.util.Set.of()), Principal.support("s", java.util.Set.of("support")))) {
            MamoriException e = assertThrows(MamoriException.class, () -> ExecutionContext.builder(Channel.REST).principal(p).build()
                    .call(() -> context.callAsPlatform("alpha", EXPORT, () -> ran.getAndSet(true))));
            assertEquals(PlatformErrors.PLATFORM_ACCESS_DENIED.code(), e.code(), p.toString());
        }
        assertFalse(ran.get());
        assertTrue(events.isEmpty(), "nothing was accessed, nothing recorded");
        assertThrows(NullPointerException.class, () -> platform("alpha", null, () -> ran.getAndSet(true)));
        assertEquals(a.id(), ExecutionContext.system("test.retention").call(() -> context.callAsPlatform("alpha", PURGE, context::requireTenantId)));
    }

    @Test
    @DisplayName("TEN-2: a user call nested in a platform binding of the same locked tenant is still refused")
    void userCallInsidePlatformBindingOfLockedTenant() {
        Tenant t = tenants.add("locked", TenantState.EXPIRED);
        platform("locked", EXPORT, () -> {
            assertThrows(TenantNotAccessibleException.class, () -> context.callAs(t.id(), () -> null));
            assertEquals(Optional.of(t.id()), context.currentTenantId());
            return null;
        });
    }
}

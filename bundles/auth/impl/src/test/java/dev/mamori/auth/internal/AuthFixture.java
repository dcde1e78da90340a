package dev.mamori.auth.internal;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.mamori.auth.Credentials;
import dev.mamori.auth.NewUser;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.User;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;
import dev.mamori.testsupport.MutableClock;

/**
 * The auth components wired by hand, as DS would wire them, on an {@link AuthDb}, with a movable
 * clock, recorded events, the vault double and the tenant-context double. One per test: the
 * per-address throttle lives in memory, so each test starts with a fresh one.
 */
final class AuthFixture {
    static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** Where the admins of the tests work from. */
    static final String ADMIN_IP = "192.0.2.10";
    /** Where the users of the tests sign in from. */
    static final String USER_IP = "198.51.100.20";
    /** Meets the employee rules (8, upper, lower, digit), not a common password. */
    static final String EMPLOYEE_PASSWORD = "Kq7vLm2x";
    /** Meets the tenant-admin rules (12, upper, lower, digit). */
    static final String ADMIN_PASSWORD = "Vx4kQw8nLp2z";

    final AuthDb db;
    final MutableClock clock = new MutableClock(T0, TOKYO);
    final RecordingEvents events = new RecordingEvents(clock);
    final TestTenantContext tenants;
    final TestVault vault;
    final CountingAuthStore store;
    final Profiles profiles;
    final Passwords passwords;
    /** bcrypt checks made through {@link #passwords}: how many secrets were tried. */
    final java.util.concurrent.atomic.AtomicInteger verifications = new java.util.concurrent.atomic.AtomicInteger();
    final Sessions sessions;
    final Accounts accounts;
    final Attempts attempts;
    final TotpFactor totp;
    final IpAllowListServiceImpl allowLists;
    final UserServiceImpl users;
    final AuthenticationServiceImpl auth;
    final AuthorizerImpl authorizer;
    /** Tenant settings by tenant id, served to Passwords and AuthenticationServiceImpl by {@link #settings()}. */
    final Map<String, Map<String, String>> settings = new ConcurrentHashMap<>();

    AuthFixture(AuthDb db) {
        this(db, Map.of());
    }

    AuthFixture(AuthDb db, Map<String, ?> config) {
        this(db, AuthConfigs.of(config));
    }

    /** The components built from exactly this configuration (no test overrides, bcrypt cost included). */
    AuthFixture(AuthDb db, AuthConfig c) {
        this.db = db;
        tenants = new TestTenantContext(db.mainDs());
        vault = new TestVault(tenants);
        store = new CountingAuthStore(db.main, db.pii, tenants);
        profiles = new Profiles(store, vault);
        passwords = new Passwords(c) {
            @Override
            boolean verify(char[] password, String hash) {
                verifications.incrementAndGet();
                return super.verify(password, hash);
            }
        };
        sessions = new Sessions(store, clock, c);
        accounts = new Accounts(store, profiles, passwords, clock);
        attempts = new Attempts(store, sessions, events, clock, c);
        totp = new TotpFactor(store, vault, clock);
        allowLists = new IpAllowListServiceImpl(store, events, clock, c);
        users = new UserServiceImpl(store, accounts, profiles, passwords, sessions, events, clock, attempts,
                dev.mamori.platform.db.UnitOfWork.get(), c);
        auth = new AuthenticationServiceImpl(store, sessions, passwords, attempts, accounts, totp, allowLists, events, clock,
                dev.mamori.platform.db.UnitOfWork.get(), c);
        authorizer = new AuthorizerImpl(accounts);
    }

    /** Hands the tenant settings of {@link #settings} to the components that read them (the optional DS reference). */
    AuthFixture withSettings() {
        TenantSettingsService s = settings();
        passwords.settings = s;
        auth.settings = s;
        return this;
    }

    private TenantSettingsService settings() {
        return (TenantSettingsService) Proxy.newProxyInstance(TenantSettingsService.class.getClassLoader(),
                new Class<?>[] {TenantSettingsService.class}, (proxy, m, args) -> {
                    if (m.getName().equals("get")) {
                        String tenant = tenants.requireTenantId();
                        String v = settings.getOrDefault(tenant, Map.of()).get((String) args[0]);
                        return Optional.ofNullable(v).map(x -> new TenantSetting(UUID.randomUUID().toString(), (String) args[0], x,
                                clock.instant()));
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** @return a new ACTIVE tenant's id */
    String newTenant() {
        return db.newTenant("t-" + UUID.randomUUID().toString().substring(0, 8), "ACTIVE");
    }

    /** @return the tenant-admin principal the tests act as (it need not have an account) */
    static Principal admin(String tenantId) {
        return Principal.user("admin-" + tenantId.substring(0, 8), tenantId, Set.of(Roles.TENANT_ADMIN));
    }

    /** Runs as a tenant admin of the tenant, with it bound, from {@link #ADMIN_IP}. */
    <T> T asAdmin(String tenantId, Supplier<T> work) {
        return as(admin(tenantId), tenantId, ADMIN_IP, work);
    }

    /** Runs as the principal with the tenant bound directly (as the REST tenant slot does), from an address. */
    static <T> T as(Principal p, String tenantId, String ip, Supplier<T> work) {
        return ExecutionContext.builder(Channel.REST).principal(p).tenant(tenantId).clientIp(ip).build().call(work);
    }

    /** Runs an anonymous request from an address (sign-in). */
    static <T> T from(String ip, Supplier<T> work) {
        return ExecutionContext.builder(Channel.REST).clientIp(ip).build().call(work);
    }

    /** Creates an account as the tenant's admin. */
    User create(String tenantId, String login, String employeeNumber, Set<String> roles, Profile profile, String password) {
        return asAdmin(tenantId, () -> users.create(new NewUser(login, employeeNumber, roles, profile, password.toCharArray())));
    }

    User employee(String tenantId, String login) {
        return create(tenantId, login, "E-" + login, Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
    }

    /** Signs in from {@link #USER_IP}. */
    SignIn signIn(String tenant, String login, String password) {
        return signInFrom(USER_IP, tenant, login, password);
    }

    SignIn signInFrom(String ip, String tenant, String login, String password) {
        return from(ip, () -> auth.signIn(new Credentials(tenant, login, password.toCharArray())));
    }
}

package dev.mamori.records.internal;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.auth.UserService;
import dev.mamori.auth.UserState;
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
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;
import dev.mamori.testsupport.MutableClock;
import dev.mamori.testsupport.TestDatabase;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;

/**
 * The records services on a real database (H2 or PostgreSQL, the bundle's migration, the platform's
 * unit of work over {@link UnitDataSource}) with doubles for what other bundles provide: a vault with
 * real AES-GCM per tenant and purpose that serves only the bound tenant, scoped grants as the auth
 * capability reads them ({@code *}, {@code prefix/*}, exact), accounts with employee numbers, tenant
 * settings, and recorded events.
 */
final class RecordsFixture implements AutoCloseable {
    final TestDatabase db;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"), ZoneId.of("Asia/Tokyo"));
    final Events events = new Events();
    final Vault vault = new Vault();
    final Grants grants = new Grants();
    final Map<String, User> accounts = new ConcurrentHashMap<>();
    final Map<String, String> settings = new ConcurrentHashMap<>();
    /** Tenants in another state than ACTIVE. */
    final Map<String, dev.mamori.tenant.TenantState> tenantStates = new ConcurrentHashMap<>();
    final RecordsCore core;
    final RecordServiceImpl records;
    final CategoryServiceImpl categories;
    final TrashServiceImpl trash;
    final TrashPurge purgeJob;
    final AttachmentServiceImpl attachments;
    final Jobs jobs = new Jobs();
    final ImportServiceImpl imports;
    final ImportJob importJob;
    /** Tenants whose audit log was exported, with the reason given. */
    final List<String> auditExports = new CopyOnWriteArrayList<>();
    final ExportServiceImpl exports;
    final ExportJob exportJob;

    RecordsFixture(TestDatabase db) {
        this.db = db;
        Migrations.migrate(db.dataSource(), RecordServiceImpl.class, "dev/mamori/records/db", "mamori_schema_records");
        TenantContext tenants = new Tenants();
        core = new RecordsCore(new Jdbc(new UnitDataSource(UnitDataSource.MAIN_STORE, db.dataSource())), vault, tenants,
                settingsService(), events, UnitOfWork.get(), clock, new Settings(64 * 1024, java.time.Duration.ofDays(30),
                        1024 * 1024, Set.of("application/pdf", "image/png", "text/plain", "text/csv"), 4L * 1024 * 1024, 3));
        UserService users = users();
        records = new RecordServiceImpl(core, grants, users, tenantService());
        categories = new CategoryServiceImpl(core, grants, users);
        trash = new TrashServiceImpl(core, grants, users);
        purgeJob = new TrashPurge(core);
        attachments = new AttachmentServiceImpl(core, grants, users);
        imports = new ImportServiceImpl(core, grants, users, jobs.service());
        importJob = new ImportJob(core, records, grants, users);
        jobs.clock = clock;
        dev.mamori.audit.AuditService audit = audit();
        exports = new ExportServiceImpl(core, jobs.service(), audit, tenantService());
        exportJob = new ExportJob(core, users, audit);
    }

    /** The audit log as far as an export sees it: its export for the bound tenant, a line per recorded event of that tenant. */
    private dev.mamori.audit.AuditService audit() {
        return (dev.mamori.audit.AuditService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {dev.mamori.audit.AuditService.class}, (p, m, a) -> {
                    if (!m.getName().equals("export")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    String log = (String) a[0];
                    if (!log.equals(ExecutionContext.require().tenantId().orElse(null))) {
                        throw new MamoriException(PlatformErrors.FORBIDDEN, "another tenant's log");
                    }
                    auditExports.add(log + " " + a[1]);
                    return new dev.mamori.audit.AuditExport() {
                        @Override
                        public String log() {
                            return log;
                        }

                        @Override
                        public long writeTo(java.io.OutputStream out) {
                            long n = 0;
                            try {
                                for (MamoriEvent e : events.all) {
                                    if (log.equals(e.tenantId().orElse(null))) {
                                        out.write(("{\"action\":\"" + e.type() + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                                        n++;
                                    }
                                }
                            } catch (java.io.IOException x) {
                                throw new java.io.UncheckedIOException(x);
                            }
                            return n;
                        }
                    };
                });
    }

    static RecordsFixture h2() {
        return new RecordsFixture(TestDatabase.h2Memory());
    }

    static RecordsFixture postgres() {
        return new RecordsFixture(TestDatabase.postgres("records"));
    }

    @Override
    public void close() {
        db.close();
    }

    /** A new account of a tenant; its grants are given with {@link Grants#grant}. */
    Principal account(String tenant, String employeeNumber, String... roles) {
        String id = UUID.randomUUID().toString();
        Set<String> r = Set.of(roles);
        accounts.put(id, new User(id, tenant, "u-" + id.substring(0, 8), employeeNumber, r, Set.of(), UserState.ACTIVE, false, true,
                clock.instant(), clock.instant()));
        return Principal.user(id, tenant, r);
    }

    Principal admin(String tenant) {
        return account(tenant, "ADM-" + UUID.randomUUID().toString().substring(0, 6), Roles.TENANT_ADMIN);
    }

    static <T> T as(Principal p, String tenant, Supplier<T> work) {
        return ExecutionContext.builder(Channel.REST).principal(p).tenant(tenant).clientIp("192.0.2.7").build().call(work);
    }

    static void run(Principal p, String tenant, Runnable work) {
        as(p, tenant, () -> {
            work.run();
            return null;
        });
    }

    /** What a database reader sees of a column, past every service. */
    List<Map<String, Object>> raw(String sql, Object... args) {
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                List<Map<String, Object>> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    out.add(row);
                }
                return out;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    int rawUpdate(String sql, Object... args) {
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private UserService users() {
        return (UserService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UserService.class}, (p, m, a) -> {
            String bound = ExecutionContext.require().tenantId().orElseThrow();
            Principal caller = ExecutionContext.require().principal().orElseThrow();
            // as UserServiceImpl: accounts of the bound tenant; another's number or profile only for itself and the admins
            java.util.function.Predicate<User> visible = u -> u.id().equals(caller.id()) || caller.hasRole(Roles.TENANT_ADMIN)
                    && caller.tenantId().orElse("").equals(bound);
            if (m.getName().equals("find")) {
                return Optional.ofNullable(accounts.get((String) a[0])).filter(u -> u.tenantId().equals(bound));
            }
            if (m.getName().equals("findByEmployeeNumber")) {
                return accounts.values().stream().filter(u -> u.tenantId().equals(bound) && a[0].equals(u.employeeNumber()))
                        .filter(visible).findFirst();
            }
            if (m.getName().equals("list")) {
                if (!(caller.hasRole(Roles.TENANT_ADMIN) && caller.tenantId().orElse("").equals(bound))
                        && caller.kind() != PrincipalKind.OPERATOR) {
                    throw new MamoriException(PlatformErrors.FORBIDDEN, "lists: admins and operators");
                }
                return accounts.values().stream().filter(u -> u.tenantId().equals(bound))
                        .sorted(java.util.Comparator.comparing(User::loginName)).collect(java.util.stream.Collectors.toList());
            }
            if (m.getName().equals("profile")) {
                User u = accounts.get((String) a[0]);
                if (u == null || !visible.test(u)) {
                    throw new MamoriException(PlatformErrors.FORBIDDEN, "profiles: self and admins");
                }
                return Optional.of(new dev.mamori.auth.Profile("Name of " + u.employeeNumber(), null, null, null, null));
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private TenantSettingsService settingsService() {
        return (TenantSettingsService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TenantSettingsService.class},
                (p, m, a) -> {
                    if (m.getName().equals("get")) {
                        String bound = ExecutionContext.require().tenantId().orElseThrow();
                        String v = settings.get(bound + "|" + a[0]);
                        return Optional.ofNullable(v == null ? null : new TenantSetting("s", (String) a[0], v, clock.instant()));
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private TenantService tenantService() {
        return (TenantService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TenantService.class}, (p, m, a) -> {
            if (m.getName().equals("find")) {
                String id = (String) a[0];
                // every tenant id of these tests exists; a tenant's user sees its own only, as TenantServiceImpl answers
                Optional<String> own = ExecutionContext.current().flatMap(ExecutionContext::principal)
                        .filter(x -> x.kind() == PrincipalKind.USER).flatMap(Principal::tenantId);
                if (id == null || own.isPresent() && !own.get().equals(id)) {
                    return Optional.empty();
                }
                return Optional.of(tenant(id, tenantStates.getOrDefault(id, dev.mamori.tenant.TenantState.ACTIVE)));
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static Tenant tenant(String id, dev.mamori.tenant.TenantState state) {
        return new Tenant(id, "slug-" + id.substring(0, 8), "Tenant", state, "standard", "jp", null, null,
                null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    }

    /** As the tenant bundle's TenantContextImpl: the bound tenant; the platform reaches one for a purpose. */
    static final class Tenants implements TenantContext {
        @Override
        public <T> T callAs(String idOrSlug, Supplier<T> work) {
            return ExecutionContext.require().withTenant(idOrSlug).call(work);
        }

        @Override
        public <T> T callAsPlatform(String idOrSlug, PlatformPurpose purpose, Supplier<T> work) {
            ExecutionContext c = ExecutionContext.require();
            PrincipalKind k = c.principal().map(Principal::kind).orElse(null);
            if (k != PrincipalKind.OPERATOR && k != PrincipalKind.SYSTEM) {
                throw new MamoriException(PlatformErrors.PLATFORM_ACCESS_DENIED, "Only operators and the platform itself.");
            }
            return c.withTenant(idOrSlug).call(work);
        }
    }

    /** Grants by account id, matched as the auth capability matches scopes: '*', 'prefix/*', or equal. */
    static final class Grants implements Authorizer {
        final Map<String, Set<String>> byAccount = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();

        void grant(Principal p, String... permissions) {
            byAccount.put(p.id(), Set.of(permissions));
        }

        @Override
        public boolean isPermitted(String permission) {
            asked.add(permission);
            Optional<Principal> p = ExecutionContext.current().flatMap(ExecutionContext::principal);
            if (p.isEmpty() || p.get().kind() != PrincipalKind.USER
                    || !p.get().tenantId().equals(ExecutionContext.current().flatMap(ExecutionContext::tenantId))) {
                return false;
            }
            return byAccount.getOrDefault(p.get().id(), Set.of()).stream().anyMatch(g -> implies(g, permission));
        }

        static boolean implies(String grant, String requested) {
            if (grant.equals(requested)) {
                return true;
            }
            if (grant.endsWith("*")) {
                return requested.startsWith(grant.substring(0, grant.length() - 1));
            }
            return false;
        }

        @Override
        public void check(String permission) {
            if (!isPermitted(permission)) {
                throw new MamoriException(PlatformErrors.FORBIDDEN, permission);
            }
        }

        /** As the auth capability answers: a grant of that domain and action (or '*') in any scope. */
        @Override
        public boolean isPermittedInAnyScope(String permission) {
            Optional<Principal> p = ExecutionContext.current().flatMap(ExecutionContext::principal);
            if (p.isEmpty() || p.get().kind() != PrincipalKind.USER) {
                return false;
            }
            String[] wanted = permission.split(":");
            return byAccount.getOrDefault(p.get().id(), Set.of()).stream().map(g -> g.split(":")).anyMatch(g -> g[0].equals(wanted[0])
                    && (g.length == 1 || g[1].equals("*") || java.util.Arrays.asList(g[1].split(",")).contains(wanted[1])));
        }

        @Override
        public void checkInAnyScope(String permission) {
            throw new UnsupportedOperationException("the records services check each record's scope");
        }
    }

    /** Events as the platform stamps them, recorded; a type can be refused as a failing audit trail would. */
    final class Events implements EventPublisher {
        final List<MamoriEvent> all = new CopyOnWriteArrayList<>();
        volatile EventType refuse;
        /** How many events of the refused type still pass before the refusals start. */
        final java.util.concurrent.atomic.AtomicInteger passBeforeRefusing = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public MamoriEvent publish(MamoriEvent.Builder event) {
            if (refuse != null && refuse.is(event.type()) && passBeforeRefusing.getAndDecrement() <= 0) {
                throw new MamoriException(PlatformErrors.EVENT_DELIVERY_FAILED, "cannot be recorded (test)");
            }
            MamoriEvent e = event.build(clock, ExecutionContext.current().orElse(null));
            all.add(e);
            return e;
        }

        List<MamoriEvent> of(EventType type) {
            return all.stream().filter(e -> e.is(type)).collect(Collectors.toList());
        }
    }

    /** AES-256-GCM per (tenant, purpose), for the bound tenant only; the associated data must match. */
    static final class Vault implements VaultService {
        private static final SecureRandom RANDOM = new SecureRandom();
        final Map<String, SecretKey> keys = new ConcurrentHashMap<>();

        private SecretKey key(String tenantId, KeyPurpose purpose) {
            String bound = ExecutionContext.current().flatMap(ExecutionContext::tenantId).orElseThrow(
                    () -> new NoTenantContextException("no tenant bound"));
            if (!bound.equals(tenantId)) {
                throw new NoTenantContextException("The vault serves only the tenant bound on this thread.");
            }
            return keys.computeIfAbsent(tenantId + "|" + purpose, k -> {
                try {
                    KeyGenerator g = KeyGenerator.getInstance("AES");
                    g.init(256);
                    return g.generateKey();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public byte[] encrypt(String tenantId, KeyPurpose purpose, byte[] plaintext, byte[] associatedData) {
            try {
                byte[] iv = new byte[12];
                RANDOM.nextBytes(iv);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, key(tenantId, purpose), new GCMParameterSpec(128, iv));
                c.updateAAD(associatedData);
                byte[] ct = c.doFinal(plaintext);
                return ByteBuffer.allocate(12 + ct.length).put(iv).put(ct).array();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] decrypt(String tenantId, KeyPurpose purpose, byte[] blob, byte[] associatedData) {
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key(tenantId, purpose), new GCMParameterSpec(128, blob, 0, 12));
                c.updateAAD(associatedData);
                return c.doFinal(blob, 12, blob.length - 12);
            } catch (GeneralSecurityException e) {
                throw new DecryptionFailedException("The blob does not decrypt here.");
            }
        }

        /** Whole-blob, not streaming: enough to test what records do around the vault's stream cipher. */
        @Override
        public java.io.OutputStream encryptingStream(String t, KeyPurpose p, java.io.OutputStream sink, byte[] ad) {
            key(t, p);
            return new java.io.ByteArrayOutputStream() {
                private boolean closed;

                @Override
                public void close() throws java.io.IOException {
                    if (!closed) {
                        closed = true;
                        sink.write(encrypt(t, p, toByteArray(), ad));
                        sink.close();
                    }
                }
            };
        }

        @Override
        public java.io.InputStream decryptingStream(String t, KeyPurpose p, java.io.InputStream source, byte[] ad)
                throws java.io.IOException {
            return new java.io.ByteArrayInputStream(decrypt(t, p, source.readAllBytes(), ad));
        }

        @Override
        public byte[] encryptPersonal(String t, String person, byte[] plaintext, byte[] ad) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] decryptPersonal(String t, String person, byte[] blob, byte[] ad) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean erasePerson(String t, String person, String confirmation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] blindIndex(String t, String field, byte[] value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.mamori.vault.VaultStatus status() {
            throw new UnsupportedOperationException();
        }
    }
}

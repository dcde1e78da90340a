package dev.mamori.audit.internal;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.testsupport.MutableClock;
import dev.mamori.testsupport.TestDatabase;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultSignature;
import dev.mamori.vault.VaultSigner;

/**
 * The audit capability wired without a container: a database migrated with its own scripts, the
 * platform's real unit of work over it, a publisher that hands every event to the recorder in the
 * unit (as the platform's does for a required listener), and a signer with JDK Ed25519 keys that
 * checks who signs as the vault does.
 */
final class AuditFixture implements AutoCloseable {
    private final DataSource dataSource;
    private final AutoCloseable closer;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"), ZoneId.of("Asia/Tokyo"));
    final FakeSigner signer = new FakeSigner();
    final AuditEngine engine;
    final AuditRecorder recorder;
    final AuditServiceImpl service;
    final AuditPrune prune;
    final Publisher events = new Publisher();
    final List<String> sinkLines = new ArrayList<>();

    AuditFixture(TestDatabase db) {
        this(db, config("mamori.test/audit", 1000, 5, 12));
    }

    AuditFixture(TestDatabase db, AuditConfig config) {
        this(db.dataSource(), db, config, true);
    }

    /** @param app what the capability connects with (an application role of its own; the schema is migrated by the owner) */
    AuditFixture(TestDatabase db, AuditConfig config, DataSource app) {
        this(db.dataSource(), app, db, config, true);
    }

    /**
     * @param store     the main store (a pool, as the container's is, for {@link AuditBench})
     * @param closer    what {@link #close()} closes
     * @param config    configuration
     * @param countCommits whether the recorder's connections count their commits ({@link #commits})
     */
    AuditFixture(DataSource store, AutoCloseable closer, AuditConfig config, boolean countCommits) {
        this(store, store, closer, config, countCommits);
    }

    /**
     * @param owner the schema owner's connections (migrations; the tests' own reads and tampering)
     * @param app   what the capability connects with
     */
    AuditFixture(DataSource owner, DataSource app, AutoCloseable closer, AuditConfig config, boolean countCommits) {
        this.dataSource = owner;
        this.closer = closer;
        Migrations.migrate(owner, AuditEngine.class, "dev/mamori/audit/db", "mamori_schema_audit");
        engine = new AuditEngine(new AuditStore(app), signer, clock, config);
        engine.bindSink((log, cp) -> sinkLines.add(log + " " + cp.size()), Map.of("audit.sink", "memory", "service.id", 1L));
        DataSource recorded = countCommits ? counting(app) : app;
        recorder = new AuditRecorder(new UnitDataSource(UnitDataSource.MAIN_STORE, recorded), recorded, null, UnitOfWork.get(), engine);
        service = new AuditServiceImpl(engine, events);
        prune = new AuditPrune(engine, events);
    }

    /** Commits of the recorder's connections (the action's, or a group commit's): commit() calls and statements run in auto-commit mode. */
    final java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();

    private DataSource counting(DataSource raw) {
        ClassLoader loader = getClass().getClassLoader();
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {DataSource.class}, (p, m, a) -> {
            Object r = invoke(raw, m, a);
            if (!m.getName().equals("getConnection")) {
                return r;
            }
            java.sql.Connection c = (java.sql.Connection) r;
            return java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {java.sql.Connection.class}, (p2, m2, a2) -> {
                if (m2.getName().equals("commit")) {
                    commits.incrementAndGet();
                }
                Object r2 = invoke(c, m2, a2);
                if (!m2.getName().equals("prepareStatement")) {
                    return r2;
                }
                java.sql.PreparedStatement ps = (java.sql.PreparedStatement) r2;
                return java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {java.sql.PreparedStatement.class}, (p3, m3, a3) -> {
                    Object r3 = invoke(ps, m3, a3);
                    if (m3.getName().startsWith("execute") && c.getAutoCommit()) {
                        commits.incrementAndGet();
                    }
                    return r3;
                });
            });
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes as the platform does for a required listener: in the caller's unit (or one of its own). */
    final class Publisher implements EventPublisher {
        @Override
        public MamoriEvent publish(MamoriEvent.Builder builder) {
            MamoriEvent e = builder.build(clock, ExecutionContext.current().orElse(null));
            if (UnitOfWork.get().current().isEmpty()) {
                recorder.recordStandalone(e);
                return e;
            }
            return UnitOfWork.get().call(() -> {
                recorder.onEvent(e);
                return e;
            });
        }
    }

    static AuditConfig config(String origin, int entries, int minutes, int months) {
        return new AuditConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            @Override
            public String log_origin() {
                return origin;
            }

            @Override
            public int checkpoint_entries() {
                return entries;
            }

            @Override
            public int checkpoint_minutes() {
                return minutes;
            }

            @Override
            public int retention_months() {
                return months;
            }

            @Override
            public String sink_file() {
                return "";
            }
        };
    }

    /** Ed25519 keys per owner, created on first use; signs only for the bound tenant or the platform itself, as the vault does. */
    static final class FakeSigner implements VaultSigner {
        final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
        final Instant created = Instant.parse("2026-01-01T00:00:00Z");
        /** Keys derived from the owner's name, the same in every JVM (the benchmark verifies logs another run built). */
        volatile boolean derived;

        private KeyPair key(String owner) {
            return keys.computeIfAbsent(owner, o -> {
                try {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
                    if (derived) {
                        java.security.SecureRandom seed = java.security.SecureRandom.getInstance("SHA1PRNG");
                        seed.setSeed(utf8("audit-bench " + o));
                        g.initialize(java.security.spec.NamedParameterSpec.ED25519, seed);
                    }
                    return g.generateKeyPair();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public VaultSignature sign(String owner, SigningPurpose purpose, byte[] message) {
            String bound = ExecutionContext.require().tenantId().orElse(PLATFORM);
            if (!bound.equals(owner)) {
                throw new IllegalStateException("signing for " + owner + " with " + bound + " bound");
            }
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key(owner).getPrivate());
                s.update(message);
                return new VaultSignature("k-" + owner, 1, s.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean verify(String owner, SigningPurpose purpose, byte[] message, VaultSignature signature) {
            throw new UnsupportedOperationException("the audit log verifies notes itself");
        }

        @Override
        public List<SigningPublicKey> publicKeys(String owner, SigningPurpose purpose) {
            byte[] spki = key(owner).getPublic().getEncoded();
            byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            return List.of(new SigningPublicKey(owner, purpose, "k-" + owner, 1, KeyInfo.State.ACTIVE, raw, created, null));
        }

        @Override
        public Set<SigningPurpose> declaredPurposes() {
            return Set.of(Checkpointer.PURPOSE);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

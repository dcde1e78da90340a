package dev.mamori.vault.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;
import dev.mamori.vault.spi.WrappedKey;

class VaultServiceImplTest {
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private JdbcDataSource ds;
    private EntityManagerFactory emf;
    private KeystoreKeyProvider provider;
    private final FakeContext context = new FakeContext();

    /** The tenant context, reduced to what the vault uses. */
    static final class FakeContext implements TenantContext {
        private final ThreadLocal<String> bound = new ThreadLocal<>();

        @Override
        public <T> T callAs(String tenant, Supplier<T> work) {
            bound.set(tenant);
            try {
                return work.get();
            } finally {
                bound.remove();
            }
        }

        @Override
        public <T> T callAsPlatform(String tenant, String purpose, Supplier<T> work) {
            return callAs(tenant, work);
        }

        @Override
        public Optional<String> currentTenantId() {
            return Optional.ofNullable(bound.get());
        }
    }

    @BeforeEach
    void setUp() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("db/mamori") + ";WRITE_DELAY=0");
        ds.setUser("sa");
        emf = Persistence.createEntityManagerFactory("mamori-vault", Map.of("javax.persistence.nonJtaDataSource", ds));
        provider = new KeystoreKeyProvider(dir.resolve("master.bcfks"), PASSPHRASE.clone(), true);
    }

    @AfterEach
    void tearDown() {
        emf.close();
        provider.close();
    }

    private VaultServiceImpl vault() {
        VaultServiceImpl v = new VaultServiceImpl(emf, ds, context);
        v.clock = Clock.systemUTC();
        v.bindProvider(provider);
        return v;
    }

    private static byte[] aad(String tenant, String row) {
        return Aad.of(tenant, "records", row, "salary");
    }

    @Test
    @DisplayName("CRY-2: encrypt and decrypt inside the tenant's context, streams too")
    void roundTrip() throws Exception {
        VaultServiceImpl v = vault();
        byte[] plain = "年収 9,000,000".getBytes(StandardCharsets.UTF_8);
        byte[] blob = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, plain, aad(A, "r1")));
        assertFalse(new String(blob, StandardCharsets.ISO_8859_1).contains("9,000,000"));
        assertArrayEquals(plain, context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, "r1"))));

        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        context.callAs(A, () -> {
            try (OutputStream out = v.encryptingStream(A, KeyPurpose.ATTACHMENTS, sink, aad(A, "f1"))) {
                out.write(big);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        byte[] back = context.callAs(A, () -> {
            try (InputStream in = v.decryptingStream(A, KeyPurpose.ATTACHMENTS, new ByteArrayInputStream(sink.toByteArray()), aad(A, "f1"))) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertArrayEquals(big, back);
    }

    @Test
    @DisplayName("TEN-1: without a context, or for another tenant than the bound one, the vault refuses")
    void tenantBound() {
        VaultServiceImpl v = vault();
        byte[] plain = {1, 2, 3};
        assertThrows(NoTenantContextException.class, () -> v.encrypt(A, KeyPurpose.RECORDS, plain, aad(A, "r")));
        assertThrows(NoTenantContextException.class,
                () -> context.callAs(B, () -> v.encrypt(A, KeyPurpose.RECORDS, plain, aad(A, "r"))));
        byte[] blob = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, plain, aad(A, "r")));
        assertThrows(NoTenantContextException.class,
                () -> context.callAs(B, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, "r"))));
    }

    @Test
    @DisplayName("CRY-2, TEN-1: a blob moved to another tenant, purpose or row does not decrypt")
    void movedBlobsFail() {
        VaultServiceImpl v = vault();
        byte[] blob = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {9}, aad(A, "r1")));
        assertThrows(DecryptionFailedException.class,
                () -> context.callAs(B, () -> v.decrypt(B, KeyPurpose.RECORDS, blob, aad(A, "r1"))));
        assertThrows(DecryptionFailedException.class,
                () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.AUDIT, blob, aad(A, "r1"))));
        assertThrows(DecryptionFailedException.class,
                () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, "r2"))));
    }

    @Test
    @DisplayName("CRY-3: one data key per tenant and purpose, reused, and different between tenants")
    void oneKeyPerTenantAndPurpose() {
        VaultServiceImpl v = vault();
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[1], aad(A, "1")));
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[1], aad(A, "2")));
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.AUDIT, new byte[1], aad(A, "3")));
        context.callAs(B, () -> v.encrypt(B, KeyPurpose.RECORDS, new byte[1], aad(B, "4")));
        assertEquals(3L, (long) TxCount.rows(emf));
    }

    @Test
    @DisplayName("CRY-3: sealed (no master key) means every operation fails closed, and unbinding seals")
    void sealedFailsClosed() {
        VaultServiceImpl v = new VaultServiceImpl(emf, ds, context);
        v.clock = Clock.systemUTC();
        assertTrue(v.status().sealed());
        assertFalse(v.check().isUp());
        assertThrows(VaultSealedException.class,
                () -> context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[1], aad(A, "r"))));
        v.bindProvider(provider);
        byte[] blob = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {5}, aad(A, "r")));
        assertTrue(v.check().isUp());
        v.unbindProvider(provider);
        assertThrows(VaultSealedException.class,
                () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, "r"))));
        provider.close();
        v.bindProvider(provider);
        assertTrue(v.status().sealed(), "a closed keystore is sealed");
        assertThrows(VaultSealedException.class,
                () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, "r"))));
    }

    @Test
    @DisplayName("CRY-3: keys survive a restart (new vault, reopened keystore) and the wrong passphrase stays sealed")
    void keysSurviveRestart() {
        byte[] blob = context.callAs(A, () -> vault().encrypt(A, KeyPurpose.RECORDS, new byte[] {4, 2}, aad(A, "r")));
        provider.close();
        assertThrows(VaultSealedException.class,
                () -> new KeystoreKeyProvider(dir.resolve("master.bcfks"), "wrong".toCharArray(), false));
        provider = new KeystoreKeyProvider(dir.resolve("master.bcfks"), PASSPHRASE.clone(), false);
        VaultServiceImpl restarted = vault();
        assertArrayEquals(new byte[] {4, 2}, context.callAs(A, () -> restarted.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, "r"))));
    }

    @Test
    @DisplayName("CRY-3: the database holds data keys only wrapped: no key in clear in rows or in the raw file")
    void noKeyMaterialInTheDatabase() throws Exception {
        VaultServiceImpl v = vault();
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, "r")));
        DataKeyEntity row = TxCount.first(emf);
        byte[] dek = provider.unwrap(new WrappedKey(row.kekId, Base64.getDecoder().decode(row.wrapped)));
        assertEquals(32, dek.length);
        emf.close();
        emf = Persistence.createEntityManagerFactory("mamori-vault", Map.of("javax.persistence.nonJtaDataSource", ds));
        try (java.sql.Connection c = ds.getConnection()) {
            c.createStatement().execute("SHUTDOWN");
        }
        byte[] raw;
        try (Stream<Path> files = Files.walk(dir.resolve("db"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                all.write(Files.readAllBytes(f));
            }
            raw = all.toByteArray();
        }
        assertTrue(raw.length > 0);
        for (byte[] hay : new byte[][] {raw, row.wrapped.getBytes(StandardCharsets.US_ASCII),
                Files.readAllBytes(dir.resolve("master.bcfks"))}) {
            assertFalse(contains(hay, java.util.Arrays.copyOfRange(dek, 0, 8)), "8 key bytes found in clear");
            assertFalse(contains(hay, Base64.getEncoder().encode(dek)), "key found in Base64");
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Direct reads of the key table. */
    static final class TxCount {
        static long rows(EntityManagerFactory emf) {
            var em = emf.createEntityManager();
            try {
                return em.createQuery("SELECT COUNT(k) FROM DataKey k", Long.class).getSingleResult();
            } finally {
                em.close();
            }
        }

        static DataKeyEntity first(EntityManagerFactory emf) {
            var em = emf.createEntityManager();
            try {
                return em.createQuery("SELECT k FROM DataKey k", DataKeyEntity.class).getResultList().get(0);
            } finally {
                em.close();
            }
        }
    }
}

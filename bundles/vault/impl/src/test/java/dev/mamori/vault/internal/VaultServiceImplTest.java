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
import java.util.UUID;
import java.util.stream.Stream;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantState;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;
import dev.mamori.vault.spi.WrappedKey;

class VaultServiceImplTest extends VaultFixture {
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();
    int batch = 500;

    VaultSettings settings() {
        return settings(batch);
    }

    private TestVault vault() {
        return vault(settings());
    }

    private static byte[] aad(String tenant, String row) {
        return Aad.of(tenant, "records", row, "salary");
    }

    @Test
    @DisplayName("CRY-2: encrypt and decrypt inside the tenant's context, streams too")
    void roundTrip() throws Exception {
        TestVault v = vault();
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
        TestVault v = vault();
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
        TestVault v = vault();
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
        TestVault v = vault();
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[1], aad(A, "1")));
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[1], aad(A, "2")));
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.AUDIT, new byte[1], aad(A, "3")));
        context.callAs(B, () -> v.encrypt(B, KeyPurpose.RECORDS, new byte[1], aad(B, "4")));
        assertEquals(3L, (long) TxCount.rows(emf));
    }

    @Test
    @DisplayName("CRY-3: sealed (no master key) means every operation fails closed, and unbinding seals")
    void sealedFailsClosed() {
        TestVault v = vault(settings());
        v.unbindProvider(provider);
        VaultHealth health = new VaultHealth(v);
        assertTrue(v.status().sealed());
        assertFalse(health.check().isUp());
        assertThrows(VaultSealedException.class,
                () -> context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[1], aad(A, "r"))));
        v.bindProvider(provider);
        byte[] blob = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {5}, aad(A, "r")));
        assertTrue(health.check().isUp());
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
        TestVault restarted = vault();
        assertArrayEquals(new byte[] {4, 2}, context.callAs(A, () -> restarted.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, "r"))));
    }

    @Test
    @DisplayName("CRY-3: the database holds data keys only wrapped: no key in clear in rows or in the raw file")
    void noKeyMaterialInTheDatabase() throws Exception {
        TestVault v = vault();
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, "r")));
        DataKeyEntity row = TxCount.first(emf);
        byte[] dek = provider.unwrap(new WrappedKey(row.kekId, Base64.getDecoder().decode(row.wrapped)), VaultKeys.context(row));
        assertEquals(32, dek.length);
        emf.close();
        emf = dev.mamori.testsupport.Units.open("mamori-vault", ds);
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

    @Test
    @DisplayName("CRY-3: online master-key rotation re-wraps every data key; old blobs keep decrypting")
    void masterRotation() {
        TestVault v = vault();
        byte[] a = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, "r")));
        byte[] b = context.callAs(B, () -> v.encrypt(B, KeyPurpose.BACKUP, new byte[] {2}, aad(B, "r")));
        String before = provider.currentKekId();
        String result = v.rotateMaster();
        String after = provider.currentKekId();
        assertFalse(before.equals(after));
        assertEquals(after + " 2", result);
        assertTrue(v.keys(A).stream().allMatch(k -> k.kekId().orElseThrow().equals(after)));
        assertTrue(v.keys(B).stream().allMatch(k -> k.kekId().orElseThrow().equals(after)));
        // a fresh vault (empty cache) unwraps with the new master key
        TestVault restarted = vault();
        assertArrayEquals(new byte[] {1}, context.callAs(A, () -> restarted.decrypt(A, KeyPurpose.RECORDS, a, aad(A, "r"))));
        assertArrayEquals(new byte[] {2}, context.callAs(B, () -> restarted.decrypt(B, KeyPurpose.BACKUP, b, aad(B, "r"))));
        // person keys on the PII store are re-wrapped too
        byte[] name = context.callAs(A, () -> restarted.encryptPersonal(A, "E1001", "山田 太郎".getBytes(StandardCharsets.UTF_8), aad(A, "p")));
        String third = restarted.rotateMaster().split(" ")[0];
        provider.close();
        provider = new KeystoreKeyProvider(dir.resolve("master.bcfks"), PASSPHRASE.clone(), false);
        TestVault again = vault();
        assertEquals("山田 太郎", new String(context.callAs(A, () -> again.decryptPersonal(A, "E1001", name, aad(A, "p"))), StandardCharsets.UTF_8));
        assertFalse(third.equals(after));
    }

    @Test
    @DisplayName("CRY-3: tenant key rotation: new writes use the new version, old versions keep decrypting")
    void tenantKeyRotation() {
        TestVault v = vault();
        byte[] old = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {7}, aad(A, "r")));
        KeyInfo next = v.rotateTenantKey(A, KeyPurpose.RECORDS);
        assertEquals(2, next.version());
        assertEquals(KeyInfo.State.ACTIVE, next.state());
        byte[] fresh = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {8}, aad(A, "r")));
        assertEquals(2, java.nio.ByteBuffer.wrap(fresh, 20, 4).getInt(), "new writes name version 2 in their header");
        assertEquals(1, java.nio.ByteBuffer.wrap(old, 20, 4).getInt());
        TestVault restarted = vault();
        assertArrayEquals(new byte[] {7}, context.callAs(A, () -> restarted.decrypt(A, KeyPurpose.RECORDS, old, aad(A, "r"))));
        assertArrayEquals(new byte[] {8}, context.callAs(A, () -> restarted.decrypt(A, KeyPurpose.RECORDS, fresh, aad(A, "r"))));
        assertEquals(java.util.List.of(KeyInfo.State.RETIRED, KeyInfo.State.ACTIVE),
                v.keys(A).stream().map(KeyInfo::state).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    @DisplayName("CRY-3, TEN-4: crypto-shredding only for a DELETED tenant, confirmed; its data is then unrecoverable")
    void shredding() {
        TestVault v = vault();
        byte[] a = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {3}, aad(A, "r")));
        byte[] b = context.callAs(B, () -> v.encrypt(B, KeyPurpose.RECORDS, new byte[] {4}, aad(B, "r")));
        VaultException refused = assertThrows(VaultException.class, () -> v.shredTenant(A, A));
        assertEquals("shred-refused", refused.code());
        tenants.states.put(A, TenantState.DELETED);
        assertEquals("shred-not-confirmed", assertThrows(VaultException.class, () -> v.shredTenant(A, B)).code());
        assertArrayEquals(new byte[] {3}, context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, a, aad(A, "r"))),
                "nothing destroyed by refused attempts");

        java.util.List<KeyInfo> destroyed = v.shredTenant(A, A).dataKeys();
        assertEquals(1, destroyed.size());
        assertEquals(KeyInfo.State.DESTROYED, destroyed.get(0).state());
        assertThrows(KeyDestroyedException.class, () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, a, aad(A, "r"))));
        TestVault restarted = vault();
        assertThrows(KeyDestroyedException.class, () -> context.callAs(A, () -> restarted.decrypt(A, KeyPurpose.RECORDS, a, aad(A, "r"))));
        assertTrue(v.keys(A).stream().allMatch(k -> k.kekId().isEmpty()), "no wrapped key left");
        assertArrayEquals(new byte[] {4}, context.callAs(B, () -> v.decrypt(B, KeyPurpose.RECORDS, b, aad(B, "r"))),
                "other tenants untouched");
    }

    @Test
    @DisplayName("CRY-3, AUD-1: every key operation is published with ids, versions and who acted, never key material")
    void events() {
        TestVault v = vault(settings());
        events.clear();
        dev.mamori.platform.context.ExecutionContext operator = dev.mamori.platform.context.ExecutionContext
                .builder(dev.mamori.platform.context.Channel.SHELL)
                .principal(dev.mamori.platform.context.Principal.operator("alice", java.util.Set.of("operator")))
                .clientIp("127.0.0.1").build();
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, "r")));
        operator.run(() -> {
            v.rotateTenantKey(A, KeyPurpose.RECORDS);
            v.rotateMaster();
            tenants.states.put(A, TenantState.DELETED);
            v.shredTenant(A, A);
        });
        v.unbindProvider(provider);
        assertEquals(java.util.List.of("vault.data-key.created", "vault.data-key.created", "vault.data-key.rotated",
                "vault.master-key.rotated", "vault.data-key.destroyed", "vault.data-key.destroyed", "vault.master-key.rotated",
                "vault.master-key.destroyed", "vault.master-key.destroyed", "vault.sealed"),
                events.stream().map(dev.mamori.platform.event.MamoriEvent::type).collect(java.util.stream.Collectors.toList()));
        dev.mamori.platform.event.MamoriEvent created = events.get(0);
        assertEquals(A, created.tenantId().orElseThrow());
        assertEquals("1", created.details().get("version"));
        assertEquals("records", created.details().get("purpose"));
        assertEquals("test", created.principalId().orElseThrow(), "the context that encrypted");
        assertTrue(created.details().get("kekId").startsWith("kek-"));
        dev.mamori.platform.event.MamoriEvent rotated = events.get(2);
        assertEquals("2", rotated.details().get("version"));
        assertEquals("alice", rotated.principalId().orElseThrow(), "the operator behind a shell call, from the execution context");
        assertEquals("127.0.0.1", rotated.clientIp().orElseThrow());
        for (dev.mamori.platform.event.MamoriEvent e : events) {
            assertTrue(e.details().keySet().stream().allMatch(k -> java.util.Set.of("keyId", "version", "purpose", "kekId").contains(k)),
                    "ids and versions only: " + e.details());
        }
    }

    @Test
    @DisplayName("AUD-1: when the key operation cannot be recorded (a required listener fails), no key is created")
    void failedEventMeansNoKey() {
        TestVault ok = vault(settings());
        RuntimeException down = new dev.mamori.platform.error.MamoriException(
                dev.mamori.platform.error.PlatformErrors.EVENT_DELIVERY_FAILED, "audit down");
        TestVault v = new TestVault(new VaultStores(emf, piiEmf), ds, context, tenants, b -> {
            throw down;
        }, settings());
        started.add(v);
        v.bindProvider(provider);
        assertThrows(dev.mamori.platform.error.MamoriException.class,
                () -> context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, "r"))));
        assertEquals(0, ok.keys(A).size(), "the key row was rolled back with its event");
        assertThrows(dev.mamori.platform.error.MamoriException.class,
                () -> context.callAs(A, () -> v.encryptPersonal(A, "E1", new byte[] {1}, aad(A, "n"))));
    }

    @Test
    @DisplayName("CRY-4, IAM-5: one key per person on the PII store; erasing the person destroys exactly that key")
    void personalData() throws Exception {
        TestVault v = vault();
        byte[] taro = context.callAs(A, () -> v.encryptPersonal(A, "E1001", "山田 太郎".getBytes(StandardCharsets.UTF_8), aad(A, "name")));
        byte[] hanako = context.callAs(A, () -> v.encryptPersonal(A, "E1002", "佐藤 花子".getBytes(StandardCharsets.UTF_8), aad(A, "name")));
        assertEquals("山田 太郎", new String(context.callAs(A, () -> v.decryptPersonal(A, "E1001", taro, aad(A, "name"))), StandardCharsets.UTF_8));
        assertThrows(DecryptionFailedException.class, () -> context.callAs(A, () -> v.decryptPersonal(A, "E1002", taro, aad(A, "name"))),
                "one person's blob does not open as another's");
        assertThrows(VaultException.class, () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, taro, aad(A, "name"))),
                "person keys are used for nothing else");
        assertEquals(0L, TxCount.rows(emf), "no person key on the main store");
        try (java.sql.Connection c = piiDs.getConnection(); java.sql.ResultSet rs = c.createStatement()
                .executeQuery("SELECT COUNT(*) FROM mamori_vault_person_key")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }

        assertEquals("erase-not-confirmed", assertThrows(VaultException.class,
                () -> context.callAs(A, () -> v.erasePerson(A, "E1001", "E1002"))).code());
        assertTrue(context.callAs(A, () -> v.erasePerson(A, "E1001", "E1001")));
        assertThrows(KeyDestroyedException.class, () -> context.callAs(A, () -> v.decryptPersonal(A, "E1001", taro, aad(A, "name"))));
        assertThrows(KeyDestroyedException.class, () -> context.callAs(A, () -> vault().decryptPersonal(A, "E1001", taro, aad(A, "name"))),
                "also after a restart");
        assertThrows(KeyDestroyedException.class,
                () -> context.callAs(A, () -> v.encryptPersonal(A, "E1001", new byte[1], aad(A, "name"))), "an erased person stays erased");
        assertEquals("佐藤 花子", new String(context.callAs(A, () -> v.decryptPersonal(A, "E1002", hanako, aad(A, "name"))), StandardCharsets.UTF_8),
                "the other person is untouched");
        assertThrows(NoTenantContextException.class, () -> context.callAs(B, () -> v.decryptPersonal(A, "E1002", hanako, aad(A, "name"))));

        tenants.states.put(A, TenantState.DELETED);
        v.shredTenant(A, A);
        assertThrows(KeyDestroyedException.class, () -> context.callAs(A, () -> vault().decryptPersonal(A, "E1002", hanako, aad(A, "name"))),
                "shredding a tenant erases its people too");
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

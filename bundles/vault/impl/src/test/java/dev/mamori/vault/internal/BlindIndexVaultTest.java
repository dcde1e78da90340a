package dev.mamori.vault.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantState;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.UnknownKeyException;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;

/** The keyed blind index (CRY-4, issue #8): one index key per tenant on the PII store, never rotated. */
class BlindIndexVaultTest extends VaultFixture {
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();
    private static final String EMAIL = "user.email";
    private static final byte[] TARO = "taro.yamada@example.jp".getBytes(StandardCharsets.UTF_8);

    private TestVault vault() {
        return vault(settings(500));
    }

    private byte[] index(TestVault v, String tenant, String field, byte[] value) {
        return context.callAs(tenant, () -> v.blindIndex(tenant, field, value));
    }

    /** The index key's row on the PII store: kek_id, wrapped, state; null if there is none. */
    private String[] indexKeyRow(String tenant) throws Exception {
        try (Connection c = piiDs.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT kek_id, wrapped, state FROM mamori_vault_person_key WHERE tenant_id = ? AND person_id = ?")) {
            st.setString(1, tenant);
            st.setString(2, VaultKeys.BLIND_INDEX);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
            }
        }
    }

    @Test
    @DisplayName("CRY-4: the same field and value give the same 32-byte index, in one vault and across calls")
    void sameInputSameIndex() {
        TestVault v = vault();
        byte[] first = index(v, A, EMAIL, TARO);
        assertEquals(32, first.length);
        assertArrayEquals(first, index(v, A, EMAIL, TARO.clone()));
        assertFalse(Arrays.equals(first, index(v, A, EMAIL, "hanako.sato@example.jp".getBytes(StandardCharsets.UTF_8))),
                "another value, another index");
        assertFalse(Arrays.equals(first, index(v, A, EMAIL, new byte[0])));
        assertEquals(32, index(v, A, EMAIL, new byte[0]).length, "an empty value is a value");
    }

    @Test
    @DisplayName("CRY-4: equal values in two fields give different indexes, and field/value boundaries cannot be shifted")
    void fieldsAreSeparated() {
        TestVault v = vault();
        assertFalse(Arrays.equals(index(v, A, EMAIL, TARO), index(v, A, "user.login", TARO)));
        byte[] ab = index(v, A, "ab", "cd".getBytes(StandardCharsets.US_ASCII));
        byte[] abc = index(v, A, "abc", "d".getBytes(StandardCharsets.US_ASCII));
        assertFalse(Arrays.equals(ab, abc), "(\"ab\", \"cd\") and (\"abc\", \"d\") are different inputs");
    }

    @Test
    @DisplayName("CRY-4, TEN-1: every tenant has its own index key: the same value gives another index in another tenant")
    void tenantsAreSeparated() throws Exception {
        TestVault v = vault();
        byte[] a = index(v, A, EMAIL, TARO);
        byte[] b = index(v, B, EMAIL, TARO);
        assertFalse(Arrays.equals(a, b));
        assertNotNull(indexKeyRow(A));
        assertNotNull(indexKeyRow(B));
        assertFalse(indexKeyRow(A)[1].equals(indexKeyRow(B)[1]));
    }

    @Test
    @DisplayName("TEN-1: without a tenant context, or for another tenant than the bound one, the index is refused")
    void otherTenantsContextRefused() throws Exception {
        TestVault v = vault();
        assertThrows(NoTenantContextException.class, () -> v.blindIndex(A, EMAIL, TARO));
        assertThrows(NoTenantContextException.class, () -> context.callAs(B, () -> v.blindIndex(A, EMAIL, TARO)));
        assertNull(indexKeyRow(A), "a refused call creates no key");
        index(v, A, EMAIL, TARO);
        assertThrows(NoTenantContextException.class, () -> context.callAs(B, () -> v.blindIndex(A, EMAIL, TARO)),
                "also once the key exists and is cached");
    }

    @Test
    @DisplayName("CRY-3, CRY-4: a sealed vault refuses the index (no fallback to an unkeyed hash)")
    void sealedRefused() throws Exception {
        TestVault v = vault();
        v.unbindProvider(provider);
        assertThrows(VaultSealedException.class, () -> index(v, A, EMAIL, TARO));
        assertNull(indexKeyRow(A));
        v.bindProvider(provider);
        byte[] before = index(v, A, EMAIL, TARO);
        v.unbindProvider(provider);
        assertThrows(VaultSealedException.class, () -> index(v, A, EMAIL, TARO), "the cached key is not used while sealed");
        v.bindProvider(provider);
        assertArrayEquals(before, index(v, A, EMAIL, TARO));
        provider.close();
        assertThrows(VaultSealedException.class, () -> index(v, A, EMAIL, TARO), "a closed keystore is sealed");
    }

    @Test
    @DisplayName("CRY-4: an invalid field name, or no value, is refused as invalid input before anything is computed")
    void invalidInputRefused() throws Exception {
        TestVault v = vault();
        for (String field : new String[] {null, "", "User.email", "user email", "user/email", "user.émail", "x".repeat(65),
                "user.email\n", "~blind-index"}) {
            VaultException e = assertThrows(VaultException.class, () -> index(v, A, field, TARO), String.valueOf(field));
            assertEquals(VaultErrors.INVALID_INDEX_INPUT.code(), e.code());
            assertEquals(ErrorKind.INVALID, e.kind());
            assertFalse(e.getMessage().contains("taro"), "the value is never in the message");
        }
        VaultException noValue = assertThrows(VaultException.class, () -> index(v, A, EMAIL, null));
        assertEquals(VaultErrors.INVALID_INDEX_INPUT.code(), noValue.code());
        assertNull(indexKeyRow(A), "refused input creates no key");
        assertEquals(32, index(v, A, "x".repeat(64), TARO).length);
        assertEquals(32, index(v, A, "a-z_0.9", TARO).length);
    }

    @Test
    @DisplayName("CRY-4: the index key is on the PII store, wrapped by the master key; no key is added to the main store")
    void indexKeyIsHeldLikeAPersonKey() throws Exception {
        TestVault v = vault();
        index(v, A, EMAIL, TARO);
        String[] row = indexKeyRow(A);
        assertEquals(provider.currentKekId(), row[0]);
        assertEquals("ACTIVE", row[2]);
        assertEquals(0L, VaultServiceImplTest.TxCount.rows(emf), "no data key was made for the index");
        index(v, A, "user.login", TARO);
        try (Connection c = piiDs.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(*) FROM mamori_vault_person_key WHERE tenant_id = ?")) {
            st.setString(1, A);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1), "one index key per tenant, whatever the field");
            }
        }
    }

    @Test
    @DisplayName("CRY-4: the index is stable across a restart (new vault, reopened keystore), master and RECORDS key rotations and a cut-off")
    void stableAcrossRestartAndRotations() throws Exception {
        TestVault v = vault();
        byte[] before = index(v, A, EMAIL, TARO);
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, Aad.of(A, "r")));

        provider.close();
        provider = new KeystoreKeyProvider(dir.resolve("master.bcfks"), PASSPHRASE.clone(), false);
        TestVault restarted = vault();
        assertArrayEquals(before, index(restarted, A, EMAIL, TARO), "after a restart");

        restarted.rotateTenantKey(A, KeyPurpose.RECORDS);
        assertArrayEquals(before, index(restarted, A, EMAIL, TARO), "after a RECORDS key rotation");
        assertArrayEquals(before, index(vault(), A, EMAIL, TARO), "after a RECORDS key rotation, in a fresh vault");

        String kek = restarted.rotateMaster().split(" ")[0];
        assertEquals(kek, indexKeyRow(A)[0], "the index key was re-wrapped under the new master key");
        assertArrayEquals(before, index(vault(), A, EMAIL, TARO), "after a master key rotation");

        restarted.cutOff();
        assertArrayEquals(before, index(vault(), A, EMAIL, TARO), "after a cut-off destroyed the older master keys");
        assertArrayEquals(before, index(restarted, A, EMAIL, TARO));
    }

    @Test
    @DisplayName("IAM-5, CRY-4: erasePerson cannot name the index key; erasing a real person leaves the index alone")
    void erasureCannotReachTheIndexKey() throws Exception {
        TestVault v = vault();
        byte[] before = index(v, A, EMAIL, TARO);
        VaultException refused = assertThrows(VaultException.class,
                () -> context.callAs(A, () -> v.erasePerson(A, VaultKeys.BLIND_INDEX, VaultKeys.BLIND_INDEX)));
        assertEquals(VaultErrors.INVALID_PERSON.code(), refused.code());
        assertEquals("ACTIVE", indexKeyRow(A)[2]);
        assertThrows(VaultException.class, () -> context.callAs(A, () -> v.encryptPersonal(A, VaultKeys.BLIND_INDEX, new byte[1], Aad.of(A))),
                "nor encrypt under it");

        byte[] name = context.callAs(A, () -> v.encryptPersonal(A, "E1001", "山田 太郎".getBytes(StandardCharsets.UTF_8), Aad.of(A, "n")));
        assertTrue(context.callAs(A, () -> v.erasePerson(A, "E1001", "E1001")));
        assertThrows(KeyDestroyedException.class, () -> context.callAs(A, () -> v.decryptPersonal(A, "E1001", name, Aad.of(A, "n"))));
        assertArrayEquals(before, index(v, A, EMAIL, TARO), "the index outlives a person's erasure");
        assertArrayEquals(before, index(vault(), A, EMAIL, TARO), "also in a fresh vault");
        assertEquals("ACTIVE", indexKeyRow(A)[2]);
    }

    @Test
    @DisplayName("CRY-4, TEN-4: shredding a DELETED tenant destroys its index key; other tenants keep theirs")
    void shreddingTakesTheIndexKey() throws Exception {
        TestVault v = vault();
        index(v, A, EMAIL, TARO);
        byte[] b = index(v, B, EMAIL, TARO);
        tenants.states.put(A, TenantState.DELETED);
        v.shredTenant(A, A);
        String[] row = indexKeyRow(A);
        assertEquals("DESTROYED", row[2]);
        assertNull(row[1], "no wrapped key left");
        assertThrows(KeyDestroyedException.class, () -> index(v, A, EMAIL, TARO), "the cached key went too");
        assertThrows(KeyDestroyedException.class, () -> index(vault(), A, EMAIL, TARO), "and a fresh vault makes no new one");
        assertEquals("DESTROYED", indexKeyRow(A)[2]);
        assertArrayEquals(b, index(v, B, EMAIL, TARO), "other tenants untouched");
        assertArrayEquals(b, index(vault(), B, EMAIL, TARO), "other tenants untouched, after the cut-off too");
    }

    @Test
    @DisplayName("CRY-5, CRY-4: in a backup from before a shredding the tenant's index key stays unusable; the others' come back from the escrow unchanged")
    void indexKeyFollowsBackupsAndEscrow() throws Exception {
        TestVault v = vault();
        index(v, A, EMAIL, TARO);
        byte[] b = index(v, B, EMAIL, TARO);
        dump(piiDs, dir.resolve("backup-pii.sql"));
        dump(ds, dir.resolve("backup-main.sql"));
        tenants.states.put(A, TenantState.DELETED);
        Path escrow = Path.of(v.shredTenant(A, A).cutOff().escrow());

        started.forEach(TestVault::deactivate);
        emf.close();
        piiEmf.close();
        restore(ds, dir.resolve("backup-main.sql"));
        restore(piiDs, dir.resolve("backup-pii.sql"));
        openUnits();
        TestVault back = vault();
        assertThrows(UnknownKeyException.class, () -> index(back, B, EMAIL, TARO), "wrapped under a destroyed master key");
        KeyRestoreReport report = back.restoreKeys(escrow, true);
        assertEquals(1, report.restored(), "B's index key");
        assertArrayEquals(b, index(back, B, EMAIL, TARO), "the same index after the restore");
        assertThrows(KeyDestroyedException.class, () -> index(back, A, EMAIL, TARO), "A's index key is not restored");
    }

    @Test
    @DisplayName("CRY-4: concurrent first uses create one index key and agree on the index")
    void concurrentFirstUse() throws Exception {
        TestVault v = vault();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> {
                    go.await();
                    return index(v, A, EMAIL, TARO);
                }));
            }
            go.countDown();
            byte[] first = all.get(0).get(30, TimeUnit.SECONDS);
            for (Future<byte[]> f : all) {
                assertArrayEquals(first, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = piiDs.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mamori_vault_person_key")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    private static void dump(javax.sql.DataSource d, Path to) throws Exception {
        try (Connection c = d.getConnection(); Statement s = c.createStatement()) {
            s.execute("SCRIPT TO '" + to + "'");
        }
    }

    private static void restore(javax.sql.DataSource d, Path from) throws Exception {
        try (Connection c = d.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP ALL OBJECTS");
            s.execute("RUNSCRIPT FROM '" + from + "'");
        }
    }
}

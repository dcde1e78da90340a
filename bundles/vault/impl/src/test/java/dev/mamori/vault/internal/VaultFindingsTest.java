package dev.mamori.vault.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.tenant.TenantState;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;
import dev.mamori.vault.spi.KeyProvider;

/** What a review of the vault found, each as a test that fails on the code before the fix. */
class VaultFindingsTest extends VaultFixture {
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();

    private static byte[] aad(String tenant, String row) {
        return Aad.of(tenant, "records", row);
    }

    @Test
    @DisplayName("CRY-3: a wrapped key copied into another tenant's row does not unwrap there (it is bound to what it is)")
    void wrappedKeysAreBoundToTheirRow() throws Exception {
        TestVault v = vault(settings(500));
        byte[] a = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, "A's secret".getBytes(StandardCharsets.UTF_8), aad(A, "1")));
        byte[] b = context.callAs(B, () -> v.encrypt(B, KeyPurpose.RECORDS, "B's".getBytes(StandardCharsets.UTF_8), aad(B, "1")));
        // an attacker with write access to the database gives B's key row A's wrapped key
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            String[] wrapped = new String[2];
            try (ResultSet rs = st.executeQuery("SELECT kek_id, wrapped FROM mamori_vault_data_key WHERE tenant_id = '" + A + "'")) {
                rs.next();
                wrapped[0] = rs.getString(1);
                wrapped[1] = rs.getString(2);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_vault_data_key SET kek_id = ?, wrapped = ? WHERE tenant_id = ?")) {
                ps.setString(1, wrapped[0]);
                ps.setString(2, wrapped[1]);
                ps.setString(3, B);
                assertEquals(1, ps.executeUpdate());
            }
        }
        TestVault fresh = vault(settings(500));
        assertThrows(DecryptionFailedException.class, () -> context.callAs(B, () -> fresh.decrypt(B, KeyPurpose.RECORDS, b, aad(B, "1"))),
                "B's row no longer unwraps");
        assertThrows(DecryptionFailedException.class, () -> context.callAs(B, () -> fresh.encrypt(B, KeyPurpose.RECORDS,
                new byte[] {1}, aad(B, "2"))), "and B gets no key from A's wrapped bytes to encrypt with");
        assertArrayEquals("A's secret".getBytes(StandardCharsets.UTF_8),
                context.callAs(A, () -> fresh.decrypt(A, KeyPurpose.RECORDS, a, aad(A, "1"))));
    }

    @Test
    @DisplayName("TEN-1, CRY-3: whether another tenant's key exists, or was destroyed, is never told: the same answer as a tampered blob")
    void ownershipBeforeExistence() {
        TestVault v = vault(settings(500));
        byte[] a = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, "1")));
        context.callAs(B, () -> v.encrypt(B, KeyPurpose.RECORDS, new byte[] {2}, aad(B, "1")));
        tenants.states.put(A, TenantState.DELETED);
        v.shredTenant(A, A);
        // A's key is destroyed; B trying A's blob learns nothing about that
        DecryptionFailedException byB = assertThrows(DecryptionFailedException.class,
                () -> context.callAs(B, () -> v.decrypt(B, KeyPurpose.RECORDS, a, aad(A, "1"))));
        byte[] forged = a.clone();
        // a key id nobody ever had
        byte[] id = java.nio.ByteBuffer.allocate(16).putLong(42).putLong(42).array();
        System.arraycopy(id, 0, forged, 4, 16);
        DecryptionFailedException unknown = assertThrows(DecryptionFailedException.class,
                () -> context.callAs(B, () -> v.decrypt(B, KeyPurpose.RECORDS, forged, aad(A, "1"))));
        assertEquals(unknown.getMessage(), byB.getMessage());
        assertEquals(unknown.code(), byB.code());
        // A itself is told the truth: its data is gone
        assertThrows(KeyDestroyedException.class, () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, a, aad(A, "1"))));
    }

    @Test
    @DisplayName("CRY-3: only a blob that really decrypts under an archived key postpones that key's end")
    void tamperedBlobsDoNotPostponeArchives() throws Exception {
        TestVault v = vault(settings(10));
        KeyLifecycleTest.MemoryRecords store = new KeyLifecycleTest.MemoryRecords(A);
        byte[] old = context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, KeyLifecycleTest.aad(A, 1)));
        store.rows.put(1, old.clone());
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        v.bindParticipant(store);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        for (int i = 0; i < 600 && v.reEncryptionJobs().get(0).state() != ReEncryptionJob.State.DONE; i++) {
            Thread.sleep(20);
        }
        assertEquals(KeyInfo.State.ARCHIVED, v.keys(A).get(0).state());
        long archivedAt = archivedAt(A);
        v.clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(100)));
        byte[] tampered = old.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(DecryptionFailedException.class,
                () -> context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, tampered, KeyLifecycleTest.aad(A, 1))));
        assertEquals(archivedAt, archivedAt(A), "a blob that did not authenticate moved nothing");
        context.callAs(A, () -> v.decrypt(A, KeyPurpose.RECORDS, old, KeyLifecycleTest.aad(A, 1)));
        assertTrue(archivedAt(A) > archivedAt, "a real use of the archived key postpones its end");
        assertEquals(ReEncryptionJob.State.DONE, v.reEncryptionJobs().stream().filter(j -> j.id().equals(job.id())).findFirst()
                .orElseThrow().state());
    }

    private long archivedAt(String tenant) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT archived_at FROM mamori_vault_data_key WHERE tenant_id = '" + tenant + "' AND state = 'ARCHIVED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("CRY-5: an escrow changed after it was written (its list of destroyed master keys, a line) is refused before anything changes")
    void escrowIsAuthenticated() throws Exception {
        TestVault v = vault(settings(500));
        context.callAs(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, "1")));
        Path escrow = Path.of(v.cutOff().escrow());
        String text = Files.readString(escrow);
        assertTrue(text.contains("\nseal\t"), "the escrow is sealed");
        Path forged = dir.resolve("forged-escrow");
        Files.writeString(forged, text.replace("destroyed\t", "destroyed\t" + provider.currentKekId() + ","));
        assertEquals("escrow-invalid", assertThrows(VaultException.class, () -> v.restoreKeys(forged, true)).code());
        Files.writeString(forged, text.replaceAll("(?m)^seal\t.*\n", ""));
        assertEquals("escrow-invalid", assertThrows(VaultException.class, () -> v.restoreKeys(forged, true)).code(),
                "an escrow without its seal is not trusted either");
        assertEquals(1, v.restoreKeys(escrow, false).unchanged(), "the real one is accepted");
    }

    /** What KeystoreProviderComponent sees of the rest of the vault, for the tests. */
    static final class Installation implements KeystoreProviderComponent.Installation {
        volatile boolean hasKeys;
        final AtomicReference<String> sealedBecause = new AtomicReference<>();

        @Override
        public boolean hasKeys() {
            return hasKeys;
        }

        @Override
        public void sealedBecause(String reason) {
            sealedBecause.set(reason);
        }
    }

    /** A bundle context that only registers services (the component registers its key provider). */
    static final class Registry {
        final List<Object> registered = new java.util.concurrent.CopyOnWriteArrayList<>();

        org.osgi.framework.BundleContext context() {
            return (org.osgi.framework.BundleContext) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {org.osgi.framework.BundleContext.class}, (proxy, m, args) -> {
                        if (m.getName().equals("registerService")) {
                            registered.add(args[1]);
                            return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                    new Class<?>[] {org.osgi.framework.ServiceRegistration.class}, (p2, m2, a2) -> {
                                        if (m2.getName().equals("unregister")) {
                                            registered.remove(args[1]);
                                        }
                                        return null;
                                    });
                        }
                        throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    @Test
    @DisplayName("CRY-3: a keystore missing while keys exist (an unmounted volume) is never replaced: sealed, and saying why")
    void missingKeystoreIsNeverReplaced() throws Exception {
        Path keystore = dir.resolve("ks/master.bcfks");
        Path passphrase = dir.resolve("pp/master-passphrase");
        Installation installation = new Installation();
        installation.hasKeys = true;
        Registry registry = new Registry();
        KeystoreProviderComponent c = new KeystoreProviderComponent(registry.context(), installation, keystore, passphrase, true, null);
        assertFalse(Files.exists(keystore), "no keystore was made");
        assertFalse(Files.exists(passphrase), "no passphrase either");
        assertTrue(registry.registered.isEmpty(), "no key provider: the vault stays sealed");
        assertTrue(installation.sealedBecause.get().contains("master keystore missing while wrapped keys exist"),
                installation.sealedBecause.get());
        assertEquals("keystore-missing", assertThrows(VaultException.class,
                () -> c.initialize("a brand new passphrase".toCharArray())).code(), "nor on request");
        c.deactivate();
    }

    @Test
    @DisplayName("CRY-3: with the passphrase in the environment nothing is generated; --init creates the first keystore, once")
    void environmentPassphraseNeverGenerates() throws Exception {
        Path keystore = dir.resolve("ks/master.bcfks");
        Path passphrase = dir.resolve("pp/master-passphrase");
        Installation installation = new Installation();
        Registry registry = new Registry();
        KeystoreProviderComponent c = new KeystoreProviderComponent(registry.context(), installation, keystore, passphrase, true,
                "an operator's own passphrase");
        assertFalse(Files.exists(keystore));
        assertTrue(registry.registered.isEmpty());
        assertTrue(installation.sealedBecause.get().contains("mamori:vault-unseal --init"), installation.sealedBecause.get());
        assertTrue(c.initialize("an operator's own passphrase".toCharArray()));
        assertTrue(Files.exists(keystore));
        assertEquals(1, registry.registered.size());
        assertNull(installation.sealedBecause.get());
        assertEquals("keystore-missing", assertThrows(VaultException.class,
                () -> c.initialize("an operator's own passphrase".toCharArray())).code(), "once only");
        c.deactivate();
    }

    @Test
    @DisplayName("CRY-3: the zero-setup default generates keystore and passphrase on an empty installation only; a passphrase file others can read is refused")
    void zeroSetupAndPassphrasePermissions() throws Exception {
        Path keystore = dir.resolve("ks/master.bcfks");
        Path passphrase = dir.resolve("pp/master-passphrase");
        Installation installation = new Installation();
        Registry registry = new Registry();
        KeystoreProviderComponent first = new KeystoreProviderComponent(registry.context(), installation, keystore, passphrase, true, null);
        assertTrue(Files.exists(keystore) && Files.exists(passphrase));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passphrase)));
        assertEquals(1, registry.registered.size());
        assertTrue(((KeyProvider) registry.registered.get(0)).available());
        first.deactivate();
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-r--r--"));
        installation.hasKeys = true;
        KeystoreProviderComponent second = new KeystoreProviderComponent(registry.context(), installation, keystore, passphrase, true, null);
        assertTrue(registry.registered.isEmpty(), "a passphrase file others can read is not used");
        assertTrue(installation.sealedBecause.get().contains("readable by others"), installation.sealedBecause.get());
        second.deactivate();
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        KeystoreProviderComponent third = new KeystoreProviderComponent(registry.context(), installation, keystore, passphrase, true, null);
        assertEquals(1, registry.registered.size(), "owner-only again: it opens");
        third.deactivate();
    }

    @Test
    @DisplayName("CRY-3: the vault binds only the key provider its configuration names, never a higher-ranked one from elsewhere")
    void onlyTheConfiguredProviderIsBound() throws Exception {
        String xml;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("OSGI-INF/dev.mamori.vault.internal.VaultKeys.xml")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(xml.contains("name=\"keyProvider\"") && xml.contains("target=\"(vault.key.provider=keystore)\""), xml);
        assertTrue(xml.contains("configuration-pid=\"dev.mamori.vault\""), "keyProvider.target comes from dev.mamori.vault: " + xml);
    }
}

package dev.mamori.vault.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantState;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.ShredReport;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.VaultSignature;
import dev.mamori.vault.VaultSigner;
import dev.mamori.vault.spi.WrappedKey;

/**
 * Signing keys in the vault (issue #15 point 5): Ed25519 per owner (tenant or platform) and declared
 * purpose, wrapped under the master key like data keys. Runs on H2 files; {@code SigningKeysPostgresTest}
 * runs the same on PostgreSQL (the backup tests, which use H2's SQL dump, only here).
 */
class SigningKeysTest extends VaultFixture {
    static final String A = UUID.randomUUID().toString();
    static final String B = UUID.randomUUID().toString();
    static final String CHECKPOINT = "audit.checkpoint";
    static final SigningPurpose AUDIT = SigningPurpose.of(CHECKPOINT);
    static final byte[] NOTE = "mamori.example/audit\n42\nqUiC5vPBaq9lLvHvdsnBD4WgwSpBRVsAbB5X2L7QdRE=\n"
            .getBytes(StandardCharsets.UTF_8);
    static final ExecutionContext SYSTEM = ExecutionContext.system("audit.checkpointer");
    static final ExecutionContext OPERATOR = ExecutionContext.builder(Channel.SHELL)
            .principal(Principal.operator("alice", Set.of("operator"))).build();

    private TestVault vault() {
        return vault(settings(500));
    }

    private <T> T as(String tenant, Supplier<T> work) {
        return context.callAs(tenant, work);
    }

    private static String code(Throwable t) {
        return t instanceof MamoriException ? ((MamoriException) t).code() : t.getClass().getSimpleName();
    }

    /** Plain Bouncy Castle, from the exported raw public key only. */
    static boolean bcVerifies(byte[] publicKey, byte[] message, VaultSignature s) {
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        v.update(message, 0, message.length);
        return v.verifySignature(s.signature());
    }

    @Test
    @DisplayName("CRY-3, AUD-3: a tenant signs in its context; the exported public key verifies with plain Bouncy Castle; "
            + "a changed message or signature is refused")
    void signAndVerify() {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature s = as(A, () -> audit.sign(A, AUDIT, NOTE));
        assertEquals(1, s.version());
        assertTrue(as(A, () -> audit.verify(A, AUDIT, NOTE, s)));
        List<SigningPublicKey> keys = as(A, () -> audit.publicKeys(A, AUDIT));
        assertEquals(1, keys.size());
        SigningPublicKey k = keys.get(0);
        assertEquals(s.keyId(), k.keyId());
        assertEquals(KeyInfo.State.ACTIVE, k.state());
        assertTrue(k.validUntil().isEmpty());
        assertTrue(bcVerifies(k.publicKey(), NOTE, s), "an independent verifier with only the exported public key");
        assertFalse(bcVerifies(k.publicKey(), "mamori.example/audit\n43\n".getBytes(StandardCharsets.UTF_8), s));

        byte[] changed = NOTE.clone();
        changed[21] ^= 1;
        assertFalse(as(A, () -> audit.verify(A, AUDIT, changed, s)), "a changed message");
        for (int i : new int[] {0, 31, 32, 63}) {
            byte[] sig = s.signature();
            sig[i] ^= 0x40;
            assertFalse(as(A, () -> audit.verify(A, AUDIT, NOTE, new VaultSignature(s.keyId(), 1, sig))), "changed byte " + i);
        }
        assertFalse(as(A, () -> audit.verify(A, AUDIT, NOTE, new VaultSignature(s.keyId(), 2, s.signature()))), "no version 2");
        assertFalse(as(A, () -> audit.verify(A, AUDIT, NOTE, new VaultSignature(UUID.randomUUID().toString(), 1, s.signature()))));
        assertFalse(as(A, () -> audit.verify(A, SigningPurpose.of("audit.other"), NOTE, s)), "another purpose's key");
        VaultSignature again = as(A, () -> audit.sign(A, AUDIT, "another checkpoint\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(s.keyId(), again.keyId(), "one key per tenant and purpose");
        assertEquals(1L, rows("SELECT COUNT(*) FROM mamori_vault_signing_key"));
        assertTrue(as(A, () -> vault().signer().verify(A, AUDIT, NOTE, s)), "verifying needs no declaration, and survives a restart");
    }

    @Test
    @DisplayName("CRY-3: nobody signs for a purpose their bundle did not declare; no key is made for it")
    void undeclaredPurposeRefused() {
        TestVault v = vault();
        VaultSigner plugin = v.signer("it-plugin.note");
        VaultException e = assertThrows(VaultException.class, () -> as(A, () -> plugin.sign(A, AUDIT, NOTE)));
        assertEquals("signing-purpose-undeclared", e.code());
        assertEquals(dev.mamori.platform.error.ErrorKind.FORBIDDEN, e.kind());
        assertEquals("signing-purpose-undeclared", code(assertThrows(VaultException.class,
                () -> SYSTEM.call(() -> v.signer().sign(VaultSigner.PLATFORM, AUDIT, NOTE)))));
        assertEquals(0L, rows("SELECT COUNT(*) FROM mamori_vault_signing_key"), "no key was made");
        assertEquals(Set.of(SigningPurpose.of("it-plugin.note")), plugin.declaredPurposes());
        VaultSignature own = as(A, () -> plugin.sign(A, SigningPurpose.of("it-plugin.note"), NOTE));
        assertFalse(as(A, () -> plugin.verify(A, AUDIT, NOTE, own)), "a signature for one purpose is not one for another");
    }

    @Test
    @DisplayName("TEN-1, CRY-3: a tenant's key signs only in that tenant's context; another tenant, or a user of another tenant, is refused")
    void otherTenantsKeyRefused() {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature a = as(A, () -> audit.sign(A, AUDIT, NOTE));
        assertThrows(NoTenantContextException.class, () -> as(B, () -> audit.sign(A, AUDIT, NOTE)));
        assertThrows(NoTenantContextException.class, () -> audit.sign(A, AUDIT, NOTE), "no context at all");
        ExecutionContext userOfB = ExecutionContext.builder(Channel.REST).principal(Principal.user("u-1", B, Set.of())).tenant(A).build();
        assertEquals("signing-refused", code(assertThrows(VaultException.class, () -> userOfB.call(() -> audit.sign(A, AUDIT, NOTE)))),
                "a user of B with A bound by mistake");
        ExecutionContext inB = ExecutionContext.builder(Channel.REST).principal(Principal.user("u-2", B, Set.of())).tenant(B).build();
        assertThrows(NoTenantContextException.class, () -> inB.call(() -> audit.verify(A, AUDIT, NOTE, a)),
                "a user of B reads no public key of A");
        assertThrows(NoTenantContextException.class, () -> inB.call(() -> audit.publicKeys(A, AUDIT)));
        ExecutionContext inA = ExecutionContext.builder(Channel.REST).principal(Principal.user("u-1", A, Set.of())).tenant(A).build();
        assertTrue(inA.call(() -> audit.verify(A, AUDIT, NOTE, a)), "a user of A does");
        VaultSignature b = as(B, () -> audit.sign(B, AUDIT, NOTE));
        assertNotEquals(a.keyId(), b.keyId());
        assertFalse(as(B, () -> audit.verify(B, AUDIT, NOTE, a)), "A's signature is not B's");
        assertTrue(OPERATOR.call(() -> audit.verify(A, AUDIT, NOTE, a)), "the platform verifies any tenant's signatures");
        assertEquals(1, OPERATOR.call(() -> audit.publicKeys(A, AUDIT)).size());
    }

    @Test
    @DisplayName("CRY-3, AUD-3: the platform's key (owner 'platform') signs for the platform itself or an operator, never for a tenant's user")
    void platformKey() {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature s = SYSTEM.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE));
        VaultSignature byOperator = OPERATOR.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE));
        assertEquals(s.keyId(), byOperator.keyId());
        assertTrue(SYSTEM.call(() -> audit.verify(VaultSigner.PLATFORM, AUDIT, NOTE, s)));
        ExecutionContext support = ExecutionContext.builder(Channel.REST).principal(Principal.support("bob", Set.of())).build();
        assertEquals("signing-refused", code(assertThrows(VaultException.class,
                () -> support.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE)))), "support signs nothing");
        assertTrue(support.call(() -> audit.verify(VaultSigner.PLATFORM, AUDIT, NOTE, s)), "but reads public keys");
        // the platform's MFA secrets bind the tenant 'platform' (auth's Space.withKeys): that is no way to its signing key
        ExecutionContext asAuthDoes = ExecutionContext.builder(Channel.REST).tenant(VaultSigner.PLATFORM).build();
        assertEquals("signing-refused", code(assertThrows(VaultException.class,
                () -> asAuthDoes.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE)))));
        ExecutionContext user = ExecutionContext.builder(Channel.REST).principal(Principal.user("u-1", A, Set.of("tenant-admin")))
                .tenant(VaultSigner.PLATFORM).build();
        assertEquals("signing-refused", code(assertThrows(VaultException.class,
                () -> user.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE)))));
        assertEquals("signing-refused", code(assertThrows(VaultException.class,
                () -> user.call(() -> audit.verify(VaultSigner.PLATFORM, AUDIT, NOTE, s)))));
        assertEquals("signing-refused", code(assertThrows(VaultException.class, () -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE))),
                "no context");
        VaultSignature tenant = as(A, () -> audit.sign(A, AUDIT, NOTE));
        assertNotEquals(s.keyId(), tenant.keyId(), "the platform's key is its own");
        assertEquals(List.of(s.keyId()), v.signingKeys(VaultSigner.PLATFORM).stream().map(SigningPublicKey::keyId).collect(Collectors.toList()));
        assertTrue(bcVerifies(v.signingKeys(VaultSigner.PLATFORM).get(0).publicKey(), NOTE, s));
    }

    @Test
    @DisplayName("CRY-3: sealed, signing, verifying and exporting all fail closed, also with the key already in memory")
    void sealedFailsClosed() {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature s = as(A, () -> audit.sign(A, AUDIT, NOTE));
        v.unbindProvider(provider);
        assertThrows(VaultSealedException.class, () -> as(A, () -> audit.sign(A, AUDIT, NOTE)));
        assertThrows(VaultSealedException.class, () -> as(A, () -> audit.verify(A, AUDIT, NOTE, s)));
        assertThrows(VaultSealedException.class, () -> as(A, () -> audit.publicKeys(A, AUDIT)));
        assertThrows(VaultSealedException.class, () -> v.signingKeys(A));
        assertThrows(VaultSealedException.class, () -> v.rotateSigningKey(A, AUDIT));
        v.bindProvider(provider);
        assertTrue(as(A, () -> audit.verify(A, AUDIT, NOTE, s)));
    }

    @Test
    @DisplayName("CRY-3: rotation makes a new version sign; the old one keeps verifying, its public key stays exported with its validity")
    void rotationKeepsOldPublicKeys() {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        assertEquals("no-signing-key", assertThrows(VaultException.class, () -> v.rotateSigningKey(A, AUDIT)).code(),
                "a rotation makes no first key (a typo would)");
        VaultSignature v1 = as(A, () -> audit.sign(A, AUDIT, NOTE));
        events.clear();
        SigningPublicKey rotated = OPERATOR.call(() -> v.rotateSigningKey(A, AUDIT));
        assertEquals(2, rotated.version());
        assertEquals(v1.keyId(), rotated.keyId());
        VaultSignature v2 = as(A, () -> audit.sign(A, AUDIT, NOTE));
        assertEquals(2, v2.version());
        assertFalse(java.util.Arrays.equals(v1.signature(), v2.signature()));
        List<SigningPublicKey> keys = as(A, () -> audit.publicKeys(A, AUDIT));
        assertEquals(List.of(1, 2), keys.stream().map(SigningPublicKey::version).collect(Collectors.toList()));
        assertEquals(KeyInfo.State.RETIRED, keys.get(0).state());
        assertEquals(keys.get(1).validFrom(), keys.get(0).validUntil().orElseThrow(), "v1 signed until v2 took over");
        assertTrue(bcVerifies(keys.get(0).publicKey(), NOTE, v1));
        assertTrue(bcVerifies(keys.get(1).publicKey(), NOTE, v2));
        TestVault restarted = vault();
        VaultSigner again = restarted.signer(CHECKPOINT);
        assertTrue(as(A, () -> again.verify(A, AUDIT, NOTE, v1)), "the old version verifies after a restart");
        assertTrue(as(A, () -> again.verify(A, AUDIT, NOTE, v2)));
        assertEquals(2, as(A, () -> again.sign(A, AUDIT, NOTE)).version());
        assertEquals(3, OPERATOR.call(() -> v.rotateSigningKey(A, AUDIT)).version());
        assertEquals(3, as(A, () -> v.signingKeys(A)).size(), "rotation never destroys");
        assertEquals(List.of("vault.signing-key.created", "vault.signing-key.rotated", "vault.signing-key.created",
                "vault.signing-key.rotated"), events.stream().map(MamoriEvent::type).filter(t -> t.startsWith("vault.signing"))
                .collect(Collectors.toList()));
        MamoriEvent e = events.stream().filter(x -> x.type().equals("vault.signing-key.rotated")).findFirst().orElseThrow();
        assertEquals(A, e.tenantId().orElseThrow());
        assertEquals("alice", e.principalId().orElseThrow());
        assertEquals(Set.of("keyId", "version", "purpose", "kekId", "owner"), e.details().keySet());
        assertEquals(CHECKPOINT, e.details().get("purpose"));
    }

    @Test
    @DisplayName("CRY-3, CRY-5: master rotation and a cut-off re-wrap signing keys; every version keeps signing and verifying")
    void masterRotationAndCutOff() {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature a = as(A, () -> audit.sign(A, AUDIT, NOTE));
        VaultSignature p = SYSTEM.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE));
        String kek = v.rotateMaster().split(" ")[0];
        assertEquals(List.of(kek, kek), signingKekIds(), "both signing keys re-wrapped");
        v.cutOff();
        String after = provider.currentKekId();
        assertEquals(List.of(after, after), signingKekIds());
        assertEquals(List.of(after), provider.kekIds(), "only the new master key is left");
        TestVault restarted = vault();
        VaultSigner again = restarted.signer(CHECKPOINT);
        assertTrue(as(A, () -> again.verify(A, AUDIT, NOTE, a)));
        assertTrue(SYSTEM.call(() -> again.verify(VaultSigner.PLATFORM, AUDIT, NOTE, p)));
        assertEquals(a.keyId(), as(A, () -> again.sign(A, AUDIT, NOTE)).keyId(), "the same key signs on");
    }

    @Test
    @DisplayName("CRY-5: after a backup from before a cut-off is restored with the escrow, every signing version verifies, "
            + "versions made after the backup come back, and the shredded tenant's keys stay destroyed")
    void backupRestoreWithEscrow() throws Exception {
        assumeFalse(postgres(), "H2's SQL dump stands for the backup");
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature a1 = as(A, () -> audit.sign(A, AUDIT, NOTE));
        VaultSignature b1 = as(B, () -> audit.sign(B, AUDIT, NOTE));
        VaultSignature p1 = SYSTEM.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("SCRIPT TO '" + dir.resolve("backup.sql") + "'");
        }
        v.rotateSigningKey(A, AUDIT);
        VaultSignature a2 = as(A, () -> audit.sign(A, AUDIT, NOTE));
        tenants.states.put(B, TenantState.DELETED);
        ShredReport shred = v.shredTenant(B, B);
        assertEquals(1, shred.signingKeys());
        Path escrow = Path.of(shred.cutOff().escrow());
        String text = Files.readString(escrow);
        assertTrue(text.contains("\nS\t" + a2.keyId() + "\t2\t" + A + "\t" + CHECKPOINT + "\t"), text);
        assertFalse(text.contains(B), "the shredded tenant is not in the escrow");

        started.forEach(TestVault::deactivate);
        emf.close();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP ALL OBJECTS");
            st.execute("RUNSCRIPT FROM '" + dir.resolve("backup.sql") + "'");
        }
        openUnits();
        TestVault back = vault();
        VaultSigner restored = back.signer(CHECKPOINT);
        assertThrows(dev.mamori.vault.UnknownKeyException.class, () -> as(A, () -> restored.verify(A, AUDIT, NOTE, a1)),
                "the backup's rows are wrapped under a destroyed master key");
        KeyRestoreReport dry = back.restoreKeys(escrow, false);
        assertEquals(new KeyRestoreReport(3, 0, 1, 0, false), dry, "A v1, the platform's key and A v2 (made after the backup); B's gone");
        back.restoreKeys(escrow, true);
        assertTrue(as(A, () -> restored.verify(A, AUDIT, NOTE, a1)));
        assertTrue(as(A, () -> restored.verify(A, AUDIT, NOTE, a2)), "the version made after the backup is back");
        assertTrue(SYSTEM.call(() -> restored.verify(VaultSigner.PLATFORM, AUDIT, NOTE, p1)));
        assertThrows(KeyDestroyedException.class, () -> OPERATOR.call(() -> restored.verify(B, AUDIT, NOTE, b1)));
        assertEquals(2, as(A, () -> restored.sign(A, AUDIT, NOTE)).version(), "v2 signs, no second v2 is ever made");
        List<SigningPublicKey> keys = back.signingKeys(A);
        assertEquals(List.of(KeyInfo.State.RETIRED, KeyInfo.State.ACTIVE), keys.stream().map(SigningPublicKey::state).collect(Collectors.toList()));
        assertEquals(keys.get(1).validFrom(), keys.get(0).validUntil().orElseThrow());
        assertEquals(new KeyRestoreReport(0, 3, 0, 0, true), back.restoreKeys(escrow, true), "applying it again changes nothing");
        assertEquals(3, back.rotateSigningKey(A, AUDIT).version());
    }

    @Test
    @DisplayName("CRY-3, TEN-4: shredding a tenant destroys its signing keys: nothing verifies or signs with them again, the platform's stay")
    void shreddingDestroysSigningKeys() {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature a = as(A, () -> audit.sign(A, AUDIT, NOTE));
        v.rotateSigningKey(A, AUDIT);
        VaultSignature p = SYSTEM.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE));
        events.clear();
        tenants.states.put(A, TenantState.DELETED);
        assertEquals(2, v.shredTenant(A, A).signingKeys());
        assertEquals(2, events.stream().filter(e -> e.type().equals("vault.signing-key.destroyed")).count());
        assertThrows(KeyDestroyedException.class, () -> as(A, () -> audit.verify(A, AUDIT, NOTE, a)));
        assertThrows(KeyDestroyedException.class, () -> as(A, () -> audit.sign(A, AUDIT, NOTE)), "no new key for a shredded tenant");
        assertTrue(as(A, () -> audit.publicKeys(A, AUDIT)).isEmpty());
        TestVault restarted = vault();
        assertThrows(KeyDestroyedException.class, () -> as(A, () -> restarted.signer(CHECKPOINT).sign(A, AUDIT, NOTE)));
        assertThrows(KeyDestroyedException.class, () -> as(A, () -> restarted.signer().verify(A, AUDIT, NOTE, a)));
        assertEquals(0L, rows("SELECT COUNT(*) FROM mamori_vault_signing_key WHERE tenant_id = '" + A + "' AND (wrapped IS NOT NULL "
                + "OR kek_id IS NOT NULL OR state <> 'DESTROYED')"), "no wrapped seed left");
        assertTrue(SYSTEM.call(() -> restarted.signer().verify(VaultSigner.PLATFORM, AUDIT, NOTE, p)), "the platform's key stays");
    }

    @Test
    @DisplayName("CRY-3: no private key in clear in any row of any vault table, nor in the escrow (raw files on H2)")
    void noPrivateKeyMaterialInRows() throws Exception {
        byte[] raw = new byte[0];
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        as(A, () -> audit.sign(A, AUDIT, NOTE));
        SYSTEM.call(() -> audit.sign(VaultSigner.PLATFORM, AUDIT, NOTE));
        v.rotateSigningKey(A, AUDIT);
        as(A, () -> audit.sign(A, AUDIT, NOTE));
        v.cutOff();
        if (!postgres()) {
            // the database files hold everything written; shut down so nothing is left only in memory
            emf.close();
            piiEmf.close();
            for (javax.sql.DataSource d : new javax.sql.DataSource[] {ds, piiDs}) {
                try (Connection c = d.getConnection(); Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                }
            }
            raw = rawFiles();
            openUnits();
        }
        List<byte[]> seeds = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT tenant_id, purpose, key_id, version, public_key, kek_id, wrapped FROM "
                        + "mamori_vault_signing_key")) {
            while (rs.next()) {
                byte[] seed = provider.unwrap(new WrappedKey(rs.getString(6), Base64.getDecoder().decode(rs.getString(7))),
                        SigningKeys.context(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5)));
                assertEquals(32, seed.length);
                seeds.add(seed);
            }
        }
        assertEquals(3, seeds.size());
        for (javax.sql.DataSource d : new javax.sql.DataSource[] {ds, piiDs}) {
            all.addAll(everyValue(d));
        }
        String everything = String.join("\n", all);
        assertTrue(everything.contains(CHECKPOINT), "the scan sees the signing key rows");
        byte[] escrowFile = Files.readAllBytes(dir.resolve("escrow/key-escrow"));
        HexFormat hex = HexFormat.of();
        for (byte[] seed : seeds) {
            for (String form : new String[] {Base64.getEncoder().encodeToString(seed), hex.formatHex(seed), hex.formatHex(seed).toUpperCase(),
                    Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(seed, 12)).substring(0, 16)}) {
                assertFalse(everything.contains(form), "a seed in a row, as " + form);
                assertFalse(new String(escrowFile, StandardCharsets.ISO_8859_1).contains(form), "a seed in the escrow");
            }
            assertFalse(contains(raw, java.util.Arrays.copyOf(seed, 8)), "8 seed bytes in the database files");
            assertFalse(contains(escrowFile, java.util.Arrays.copyOf(seed, 8)));
        }
    }

    @Test
    @DisplayName("CRY-3: a public key changed in the database is never trusted: its row no longer unwraps")
    void swappedPublicKeyDetected() throws Exception {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        VaultSignature a = as(A, () -> audit.sign(A, AUDIT, NOTE));
        VaultSignature b = as(B, () -> audit.sign(B, AUDIT, NOTE));
        // an attacker with write access to the table puts B's public key in A's row, and A's key id on a signature of B's
        String bKey = as(B, () -> Base64.getEncoder().encodeToString(audit.publicKeys(B, AUDIT).get(0).publicKey()));
        execute("UPDATE mamori_vault_signing_key SET public_key = '" + bKey + "' WHERE tenant_id = '" + A + "'");
        TestVault fresh = vault();
        VaultSigner check = fresh.signer(CHECKPOINT);
        assertThrows(DecryptionFailedException.class, () -> as(A, () -> check.verify(A, AUDIT, NOTE, new VaultSignature(a.keyId(),
                1, b.signature()))));
        assertThrows(DecryptionFailedException.class, () -> fresh.signingKeys(A), "nor exported");
        assertThrows(DecryptionFailedException.class, () -> as(A, () -> check.sign(A, AUDIT, NOTE)));
    }

    @Test
    @DisplayName("CRY-3: many threads signing first at once make exactly one key, and every signature verifies")
    void concurrentFirstUseMakesOneKey() throws Exception {
        TestVault v = vault();
        VaultSigner audit = v.signer(CHECKPOINT);
        int n = 16;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<VaultSignature>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return as(A, () -> audit.sign(A, AUDIT, NOTE));
                }));
            }
            Set<String> keyIds = new java.util.HashSet<>();
            for (Future<VaultSignature> f : all) {
                VaultSignature s = f.get(60, TimeUnit.SECONDS);
                keyIds.add(s.keyId() + "/" + s.version());
                assertTrue(as(A, () -> audit.verify(A, AUDIT, NOTE, s)));
            }
            assertEquals(1, keyIds.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1L, rows("SELECT COUNT(*) FROM mamori_vault_signing_key"));
        assertEquals(1, events.stream().filter(e -> e.type().equals("vault.signing-key.created")).count());
    }

    @Test
    @DisplayName("AUD-1: when a signing key's creation cannot be recorded (a required listener fails), no key is made")
    void failedEventMeansNoKey() {
        TestVault v = new TestVault(new VaultStores(emf, piiEmf), ds, context, tenants, b -> {
            throw new MamoriException(dev.mamori.platform.error.PlatformErrors.EVENT_DELIVERY_FAILED, "audit down");
        }, settings(500));
        started.add(v);
        v.bindProvider(provider);
        assertThrows(MamoriException.class, () -> as(A, () -> v.signer(CHECKPOINT).sign(A, AUDIT, NOTE)));
        assertEquals(0L, rows("SELECT COUNT(*) FROM mamori_vault_signing_key"));
    }

    @Test
    @DisplayName("CRY-3: signing keys count as stored keys: a lost keystore is then never replaced")
    void signingKeysCountAsStoredKeys() {
        TestVault v = vault();
        assertFalse(v.keys.hasStoredKeys());
        SYSTEM.call(() -> v.signer(CHECKPOINT).sign(VaultSigner.PLATFORM, AUDIT, NOTE));
        assertTrue(v.keys.hasStoredKeys());
    }

    // ---- helpers

    private List<String> signingKekIds() {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT kek_id FROM mamori_vault_signing_key ORDER BY tenant_id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private long rows(String sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Every value of every column of every vault table of a store, as text. */
    private static List<String> everyValue(javax.sql.DataSource d) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = d.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    if (rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT).startsWith("mamori_vault")) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            assertFalse(tables.isEmpty());
            for (String t : tables) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + t)) {
                    int cols = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= cols; i++) {
                            out.add(String.valueOf(rs.getString(i)));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The H2 database files as bytes. */
    private byte[] rawFiles() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String folder : new String[] {"db", "piidb"}) {
            try (Stream<Path> files = Files.walk(dir.resolve(folder))) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    all.write(Files.readAllBytes(f));
                }
            }
        }
        return all.toByteArray();
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
}

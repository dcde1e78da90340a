package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgi.framework.ServiceRegistration;

import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.Tenant;

/** The vault in the running server (CRY-2, CRY-3, CRY-4, CRY-5), through its services and the shell. */
public abstract class VaultContainerTests extends ContainerTestSupport {
    /**
     * CRY-4: the two DataSources are two databases of the expected product, and the person keys live
     * only in the PII one: no table is in both.
     */
    @Test
    public void cry4_personKeysLiveInTheSeparatePiiDatabase() throws Exception {
        Map<String, java.util.Set<String>> tables = new java.util.TreeMap<>();
        for (String name : List.of("mamori", "mamori-pii")) {
            try (java.sql.Connection c = dataSource(name).getConnection()) {
                java.sql.DatabaseMetaData md = c.getMetaData();
                assertEquals(name, databaseProduct(), md.getDatabaseProductName());
                assertEquals(name, databaseName(name), c.getCatalog());
                tables.put(name, userTables(md));
            }
        }
        assertTrue(tables.toString(), tables.get("mamori-pii").contains("mamori_vault_person_key"));
        assertTrue(tables.toString(), tables.get("mamori").containsAll(
                List.of("mamori_tenant", "mamori_tenant_setting", "mamori_vault_data_key", "mamori_job")));
        java.util.Set<String> both = new java.util.TreeSet<>(tables.get("mamori"));
        both.retainAll(tables.get("mamori-pii"));
        assertEquals("tables in both databases", java.util.Set.of(), both);
    }

    private static java.util.Set<String> userTables(java.sql.DatabaseMetaData md) throws java.sql.SQLException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (java.sql.ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = String.valueOf(rs.getString("TABLE_SCHEM")).toLowerCase(java.util.Locale.ROOT);
                if (!schema.equals("information_schema") && !schema.startsWith("pg_")) {
                    out.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return out;
    }

    @Test
    public void cry2_vaultEncryptsPerTenantAndRefusesMovedBlobs() throws Exception {
        Tenant a = SYSTEM.call(() -> tenants.create(NewTenant.builder("vault-a-" + shortId(), "Vault A").build()));
        Tenant b = SYSTEM.call(() -> tenants.create(NewTenant.builder("vault-b-" + shortId(), "Vault B").build()));
        byte[] aad = ("records/" + a.id() + "/row-1/salary").getBytes(StandardCharsets.UTF_8);
        byte[] plain = "9,000,000 JPY".getBytes(StandardCharsets.UTF_8);
        byte[] blob = context.callAs(a.id(), () -> vault.encrypt(a.id(), dev.mamori.vault.KeyPurpose.RECORDS, plain, aad));
        assertFalse(new String(blob, StandardCharsets.ISO_8859_1).contains("9,000,000"));
        org.junit.Assert.assertArrayEquals(plain,
                context.callAs(a.id(), () -> vault.decrypt(a.id(), dev.mamori.vault.KeyPurpose.RECORDS, blob, aad)));
        try {
            context.callAs(b.id(), () -> vault.decrypt(b.id(), dev.mamori.vault.KeyPurpose.RECORDS, blob, aad));
            fail("tenant B decrypted tenant A's blob");
        } catch (dev.mamori.vault.DecryptionFailedException expected) {
        }
        try {
            vault.encrypt(a.id(), dev.mamori.vault.KeyPurpose.RECORDS, plain, aad);
            fail("the vault worked without a tenant context");
        } catch (NoTenantContextException expected) {
        }
        assertTrue(operator("mamori:vault-status").contains("UNSEALED"));

        // CRY-4, IAM-5: a person's name under that person's own key on the PII store; erasure destroys it
        byte[] name = context.callAs(a.id(), () -> vault.encryptPersonal(a.id(), "E1001", "山田 太郎".getBytes(StandardCharsets.UTF_8), aad));
        assertEquals("山田 太郎", new String(context.callAs(a.id(), () -> vault.decryptPersonal(a.id(), "E1001", name, aad)), StandardCharsets.UTF_8));
        assertTrue(context.callAs(a.id(), () -> vault.erasePerson(a.id(), "E1001", "E1001")));
        try {
            context.callAs(a.id(), () -> vault.decryptPersonal(a.id(), "E1001", name, aad));
            fail("an erased person's name decrypted");
        } catch (dev.mamori.vault.KeyDestroyedException expected) {
        }
    }

    @Test
    public void cry3_rotateAndShredThroughTheShell() throws Exception {
        java.util.List<dev.mamori.platform.event.MamoriEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServiceRegistration<dev.mamori.platform.event.MamoriEventListener> listener = bundleContext.registerService(
                dev.mamori.platform.event.MamoriEventListener.class, events::add, null);
        Tenant t = SYSTEM.call(() -> tenants.create(NewTenant.builder("shred-" + shortId(), "Shred KK").build()));
        byte[] aad = ("records/" + t.id() + "/1").getBytes(StandardCharsets.UTF_8);
        byte[] v1 = context.callAs(t.id(), () -> vault.encrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, new byte[] {1}, aad));
        assertTrue(operator("mamori:vault-rotate-tenant " + t.slug()).contains("version 2"));
        byte[] v2 = context.callAs(t.id(), () -> vault.encrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, new byte[] {2}, aad));
        String master = operator("mamori:vault-rotate-master");
        assertTrue(master, master.contains("Master key is now kek-"));
        org.junit.Assert.assertArrayEquals(new byte[] {1},
                context.callAs(t.id(), () -> vault.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, v1, aad)));

        String refused = operatorError("mamori:vault-shred --confirm " + t.slug() + " " + t.slug());
        assertTrue(refused, refused.contains("only a DELETED tenant's keys can be shredded"));
        SYSTEM.run(() -> tenants.delete(t.id(), t.slug()));
        String shredded = operator("mamori:vault-shred --confirm " + t.slug() + " " + t.slug());
        assertTrue(shredded, shredded.contains("2 data key(s) and 0 person key(s) destroyed"));
        assertTrue(shredded, shredded.contains("Key cut-off: master key kek-"));
        try {
            SYSTEM.call(() -> context.callAsPlatform(t.id(), IT_PURPOSE,
                    () -> vault.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, v2, aad)));
            fail("shredded data decrypted");
        } catch (dev.mamori.vault.KeyDestroyedException expected) {
        } finally {
            listener.unregister();
        }
        // listeners that are not required hear of an event after its unit committed, on another thread
        Wait.until("the platform access event delivered", Duration.ofSeconds(10), () -> events.stream()
                .anyMatch(e -> e.is(dev.mamori.platform.event.PlatformEvents.PLATFORM_ACCESS)));
        // AUD-2/OPS-3: shell-driven key operations name the operator, from the execution context, never key material
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.is(dev.mamori.vault.VaultEvents.DATA_KEY_ROTATED)
                && t.id().equals(e.tenantId().orElse(null)) && "it-operator".equals(e.principalId().orElse(null))
                && "SHELL".equals(e.channel().orElse(null))));
        assertTrue(events.toString(), events.stream().filter(e -> e.is(dev.mamori.vault.VaultEvents.DATA_KEY_DESTROYED))
                .count() == 2);
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.is(dev.mamori.platform.event.PlatformEvents.PLATFORM_ACCESS)
                && "it.test".equals(e.details().get("purpose"))));
        // CRY-5: the cut-off left one master key version; every earlier copy of the key tables is dead
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.is(dev.mamori.vault.VaultEvents.MASTER_KEY_DESTROYED)));
        assertEquals(1, keyProvider().kekIds().size());
    }

    /**
     * CRY-3, AUD-3 (issue #15 point 5): the test plugin, built from exported packages only, declares the
     * signing purpose it-plugin.note (bnd writes the capability from its annotation) and signs and
     * verifies with a tenant's and the platform's vault key through its own commands; the JDK's Ed25519
     * verifies the same signature from the public key alone; code that did not declare the purpose (this
     * probe) cannot sign with it; the operator lists and exports the public keys and rotates, and the old
     * version keeps verifying.
     */
    @Test
    public void cry3_aPluginSignsWithTheVaultKeyOfItsDeclaredPurposeOnly() throws Exception {
        java.util.List<dev.mamori.platform.event.MamoriEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServiceRegistration<dev.mamori.platform.event.MamoriEventListener> listener = bundleContext.registerService(
                dev.mamori.platform.event.MamoriEventListener.class, events::add, null);
        org.osgi.framework.Bundle plugin = bundleContext.installBundle(
                new java.io.File(System.getProperty("mamori.it.plugin")).toURI().toString());
        Tenant t = SYSTEM.call(() -> tenants.create(NewTenant.builder("sign-" + shortId(), "Sign KK").build()));
        try {
            plugin.start();
            assertEquals(1, plugin.adapt(org.osgi.framework.wiring.BundleRevision.class)
                    .getDeclaredCapabilities(dev.mamori.vault.SigningPurpose.NAMESPACE).size());
            String signed = Wait.until("the plugin's sign command", Duration.ofSeconds(30), () -> {
                try {
                    return operator("mamori:it-plugin-sign " + t.slug() + " checkpoint-1");
                } catch (Exception notYet) {
                    return null;
                }
            });
            String[] sig = line(signed, "signature ").split(" ");
            byte[] publicKey = java.util.Base64.getDecoder().decode(line(signed, "public "));
            assertEquals("1", sig[1]);
            assertTrue(jdkVerifies(publicKey, "checkpoint-1", sig[2]));
            assertFalse(jdkVerifies(publicKey, "checkpoint-2", sig[2]));
            assertEquals("valid", operator("mamori:it-plugin-verify " + t.slug() + " checkpoint-1 " + String.join(" ", sig)).trim());
            assertEquals("invalid", operator("mamori:it-plugin-verify " + t.slug() + " checkpoint-2 " + String.join(" ", sig)).trim());
            String undeclared = operatorError("mamori:it-plugin-sign --purpose it-plugin.other " + t.slug() + " checkpoint-1");
            assertTrue(undeclared, undeclared.contains("signing-purpose-undeclared"));

            // this probe declares nothing: it verifies (no declaration needed) but never signs with the plugin's purpose
            dev.mamori.vault.VaultSigner mine = bundleContext.getService(bundleContext.getServiceReference(dev.mamori.vault.VaultSigner.class));
            dev.mamori.vault.SigningPurpose note = dev.mamori.vault.SigningPurpose.of("it-plugin.note");
            assertTrue(mine.declaredPurposes().isEmpty());
            dev.mamori.vault.VaultSignature s = new dev.mamori.vault.VaultSignature(sig[0], 1, java.util.Base64.getDecoder().decode(sig[2]));
            assertTrue(SYSTEM.call(() -> context.callAsPlatform(t.id(), IT_PURPOSE,
                    () -> mine.verify(t.id(), note, "checkpoint-1".getBytes(StandardCharsets.UTF_8), s))));
            try {
                SYSTEM.call(() -> context.callAsPlatform(t.id(), IT_PURPOSE,
                        () -> mine.sign(t.id(), note, "forged".getBytes(StandardCharsets.UTF_8))));
                fail("a bundle that does not declare the purpose signed with its key");
            } catch (dev.mamori.vault.VaultException expected) {
                assertEquals("signing-purpose-undeclared", expected.code());
            }

            // the operator exports the public keys (raw Ed25519 and as C2SP verifier keys), rotates, the old version still verifies
            String keys = operator("mamori:vault-signing-keys " + t.slug());
            assertTrue(keys, keys.contains("it-plugin.note") && keys.contains(sig[0]) && keys.contains(line(signed, "public ")));
            String vkeys = operator("mamori:vault-signing-keys --note-name it.example/notes " + t.slug());
            String vkey = new dev.mamori.vault.SigningPublicKey(t.id(), note, sig[0], 1, dev.mamori.vault.KeyInfo.State.ACTIVE,
                    publicKey, java.time.Instant.EPOCH, null).noteVerifierKey("it.example/notes");
            assertTrue(vkeys + " has " + vkey, vkeys.contains(vkey));
            String rotated = operator("mamori:vault-signing-rotate --purpose it-plugin.note " + t.slug());
            assertTrue(rotated, rotated.contains("version 2"));
            String[] sig2 = line(operator("mamori:it-plugin-sign " + t.slug() + " checkpoint-2"), "signature ").split(" ");
            assertEquals(sig[0], sig2[0]);
            assertEquals("2", sig2[1]);
            assertEquals("valid", operator("mamori:it-plugin-verify " + t.slug() + " checkpoint-1 " + String.join(" ", sig)).trim());
            assertEquals("valid", operator("mamori:it-plugin-verify " + t.slug() + " checkpoint-2 " + String.join(" ", sig2)).trim());
            String both = operator("mamori:vault-signing-keys --purpose it-plugin.note " + t.slug());
            assertTrue(both, both.contains("RETIRED") && both.contains("ACTIVE"));

            // the platform's own key: the operator's shell context may use it; it is listed with --platform
            String platform = operator("mamori:it-plugin-sign platform checkpoint-1");
            String[] psig = line(platform, "signature ").split(" ");
            assertFalse(psig[0].equals(sig[0]));
            assertEquals("valid", operator("mamori:it-plugin-verify platform checkpoint-1 " + String.join(" ", psig)).trim());
            assertTrue(operator("mamori:vault-signing-keys --platform").contains(psig[0]));
            String help = operator("mamori:vault-signing-keys --help");
            assertTrue(help, help.contains("--note-name") && help.contains("--platform"));
        } finally {
            plugin.uninstall();
            listener.unregister();
        }
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.is(dev.mamori.vault.VaultEvents.SIGNING_KEY_ROTATED)
                && t.id().equals(e.tenantId().orElse(null)) && "it-operator".equals(e.principalId().orElse(null))));
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.is(dev.mamori.vault.VaultEvents.SIGNING_KEY_CREATED)
                && "platform".equals(e.details().get("owner"))));
        // no seed in clear: every signing key row holds a wrapped seed of 61 bytes under the current master key
        try (java.sql.Connection c = dataSource("mamori").getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT kek_id, wrapped, public_key FROM mamori_vault_signing_key")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertEquals(61, java.util.Base64.getDecoder().decode(rs.getString(2)).length);
                assertTrue(rs.getString(1).startsWith("kek-"));
            }
            assertTrue(n >= 3);
        }
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(output))
                .substring(prefix.length()).trim();
    }

    /** The JDK's own Ed25519 (SunEC), from the raw public key behind the fixed SubjectPublicKeyInfo prefix (RFC 8410). */
    private static boolean jdkVerifies(byte[] publicKey, String text, String signature) throws Exception {
        byte[] spki = new byte[44];
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        System.arraycopy(prefix, 0, spki, 0, 12);
        System.arraycopy(publicKey, 0, spki, 12, 32);
        java.security.Signature v = java.security.Signature.getInstance("Ed25519");
        v.initVerify(java.security.KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(spki)));
        v.update(text.getBytes(StandardCharsets.UTF_8));
        try {
            return v.verify(java.util.Base64.getDecoder().decode(signature));
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private dev.mamori.vault.spi.KeyProvider keyProvider() {
        return bundleContext.getService(bundleContext.getServiceReference(dev.mamori.vault.spi.KeyProvider.class));
    }

    /** Holds RECORDS blobs in memory, as a data capability would in its tables; honours batch and cursor. */
    static final class MemoryRecords implements dev.mamori.vault.spi.ReEncryptionParticipant {
        final java.util.concurrent.ConcurrentSkipListMap<Integer, byte[]> rows = new java.util.concurrent.ConcurrentSkipListMap<>();
        final List<String> cursors = new java.util.concurrent.CopyOnWriteArrayList<>();
        final String tenantId;

        MemoryRecords(String tenantId) {
            this.tenantId = tenantId;
        }

        static byte[] aad(String tenantId, int row) {
            return ("records/" + tenantId + "/" + row).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String name() {
            return "it-records";
        }

        @Override
        public boolean holds(dev.mamori.vault.KeyPurpose purpose) {
            return purpose == dev.mamori.vault.KeyPurpose.RECORDS;
        }

        @Override
        public dev.mamori.vault.spi.ReEncryptionBatch reEncrypt(String tenant, dev.mamori.vault.KeyPurpose purpose, String cursor,
                int batchSize, dev.mamori.vault.spi.ReEncryptor r) {
            cursors.add(String.valueOf(cursor));
            if (!tenant.equals(tenantId)) {
                return new dev.mamori.vault.spi.ReEncryptionBatch(null, 0);
            }
            int from = cursor == null ? Integer.MIN_VALUE : Integer.parseInt(cursor);
            int n = 0;
            int seen = 0;
            Integer last = null;
            for (Map.Entry<Integer, byte[]> e : rows.tailMap(from, false).entrySet()) {
                if (seen++ == batchSize) {
                    break;
                }
                if (!r.isCurrent(e.getValue())) {
                    rows.put(e.getKey(), r.reEncrypt(e.getValue(), aad(tenant, e.getKey())));
                    n++;
                }
                last = e.getKey();
            }
            return new dev.mamori.vault.spi.ReEncryptionBatch(last == null || rows.higherKey(last) == null ? null : last.toString(), n);
        }
    }

    @Test
    public void cry3_reEncryptionRetiresOldVersion_keysSurviveVaultRestart_noKeyMaterialInRows() throws Exception {
        Tenant t = SYSTEM.call(() -> tenants.create(NewTenant.builder("reenc-" + shortId(), "ReEnc KK").build()));
        MemoryRecords store = new MemoryRecords(t.id());
        // more rows than one batch (dev.mamori.vault reencrypt.batch is 500 by default): 1,200 rows
        for (int i = 0; i < 1200; i++) {
            int row = i;
            store.rows.put(row, context.callAs(t.id(), () -> vault.encrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS,
                    new byte[] {(byte) row}, MemoryRecords.aad(t.id(), row))));
        }
        byte[] v1Copy = store.rows.get(0);
        context.callAs(t.id(), () -> vault.encryptPersonal(t.id(), "E7", "佐藤 花子".getBytes(StandardCharsets.UTF_8), MemoryRecords.aad(t.id(), -1)));
        assertTrue(operator("mamori:vault-rotate-tenant " + t.slug()).contains("version 2"));
        String badPurpose = operatorError("mamori:vault-reencrypt --purpose bogus " + t.slug());
        assertTrue(badPurpose, badPurpose.contains("Unknown key purpose 'bogus'"));
        ServiceRegistration<dev.mamori.vault.spi.ReEncryptionParticipant> reg = bundleContext.registerService(
                dev.mamori.vault.spi.ReEncryptionParticipant.class, store, null);
        dev.mamori.vault.VaultAdmin admin = bundleContext.getService(bundleContext.getServiceReference(dev.mamori.vault.VaultAdmin.class));
        try {
            String started = operator("mamori:vault-reencrypt " + t.slug());
            // the records capability takes part too (it holds records ciphertext)
            assertTrue(started, started.contains("to version 2 through [it-records, records]"));
            dev.mamori.vault.ReEncryptionJob done = Wait.until("re-encryption finished", Duration.ofSeconds(60), () ->
                    SYSTEM.call(admin::reEncryptionJobs).stream().filter(j -> j.tenantId().equals(t.id()) && j.state() != dev.mamori.vault.ReEncryptionJob.State.RUNNING)
                            .findFirst().orElse(null));
            assertEquals(done.detail(), dev.mamori.vault.ReEncryptionJob.State.DONE, done.state());
            assertEquals(1200, done.reEncrypted());
            assertEquals(List.of("null", "499", "999"), store.cursors);
            assertTrue(operator("mamori:vault-jobs").contains("DONE"));
            assertTrue(operator("mamori:vault-participants").contains("it-records"));
            assertEquals(dev.mamori.vault.KeyInfo.State.ARCHIVED, admin.keys(t.id()).get(0).state());
        } finally {
            reg.unregister();
        }
        // a blob as an older backup holds it still opens with the archived version
        org.junit.Assert.assertArrayEquals(new byte[] {0}, context.callAs(t.id(),
                () -> vault.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, v1Copy, MemoryRecords.aad(t.id(), 0))));
        // the component is remembered: a new re-encryption waits for it
        try {
            String missing = operatorError("mamori:vault-reencrypt " + t.slug());
            assertTrue(missing, missing.contains("it-records"));
        } finally {
            assertTrue(operator("mamori:vault-participants --forget it-records").contains("no longer wait"));
        }

        // no key material in clear anywhere the vault writes: every row of its tables, and the escrow;
        // a second tenant's keys too
        Tenant other = SYSTEM.call(() -> tenants.create(NewTenant.builder("reenc-b-" + shortId(), "ReEnc B KK").build()));
        context.callAs(other.id(), () -> vault.encrypt(other.id(), dev.mamori.vault.KeyPurpose.ATTACHMENTS, new byte[] {9},
                MemoryRecords.aad(other.id(), 0)));
        String cut = operator("mamori:vault-cutoff");
        assertTrue(cut, cut.contains("Key escrow written to "));
        Path escrow = Paths.get(cut.substring(cut.indexOf("Key escrow written to ") + 22, cut.indexOf(": database backups")));
        StringBuilder everything = new StringBuilder(java.nio.file.Files.readString(escrow));
        List<byte[]> keys = new java.util.ArrayList<>();
        java.util.Set<String> owners = new java.util.HashSet<>();
        for (String[] table : new String[][] {{"mamori", "mamori_vault_data_key"}, {"mamori-pii", "mamori_vault_person_key"}}) {
            boolean data = table[1].equals("mamori_vault_data_key");
            String columns = data ? "kek_id, wrapped, tenant_id, purpose, key_id, version" : "kek_id, wrapped, tenant_id, person_id, key_id";
            try (java.sql.Connection c = dataSource(table[0]).getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT " + columns + " FROM " + table[1] + " WHERE wrapped IS NOT NULL")) {
                while (rs.next()) {
                    // a wrapped key opens only with what it is (tenant, purpose, key id, version), as the vault binds it
                    byte[] context = data ? aadOf("mamori data key v1", rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))
                            : aadOf("mamori person key v1", rs.getString(3), rs.getString(4), rs.getString(5));
                    keys.add(keyProvider().unwrap(new dev.mamori.vault.spi.WrappedKey(rs.getString(1),
                            java.util.Base64.getDecoder().decode(rs.getString(2))), context));
                    owners.add(rs.getString(3));
                }
            }
        }
        assertTrue("keys of this test's two tenants at least: " + owners, owners.contains(t.id()) && owners.contains(other.id()));
        assertTrue("data keys (v1 archived, v2) and a person key: " + keys.size(), keys.size() >= 4);
        for (String[] table : new String[][] {{"mamori", "mamori_vault_data_key"}, {"mamori", "mamori_vault_cutoff"},
                {"mamori", "mamori_job"},
                {"mamori", "mamori_vault_participant"}, {"mamori-pii", "mamori_vault_person_key"}}) {
            try (java.sql.Connection c = dataSource(table[0]).getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT * FROM " + table[1])) {
                while (rs.next()) {
                    for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                        everything.append(rs.getString(col)).append('\n');
                    }
                }
            }
        }
        String dump = everything.toString();
        String lower = dump.toLowerCase(java.util.Locale.ROOT);
        for (byte[] raw : keys) {
            assertFalse("hex of a key in the rows or escrow", lower.contains(java.util.HexFormat.of().formatHex(raw)));
            assertFalse("Base64 of a key in the rows or escrow", dump.contains(java.util.Base64.getEncoder().encodeToString(raw)));
            assertFalse("Base64url of a key in the rows or escrow", dump.contains(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
            java.util.Arrays.fill(raw, (byte) 0);
        }

        // restart the vault (its bundle): keys come back from the keystore and the database
        org.osgi.framework.Bundle impl = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "dev.mamori.vault.impl".equals(b.getSymbolicName())).findFirst().orElseThrow();
        impl.stop();
        impl.start();
        dev.mamori.vault.VaultService fresh = Wait.until("vault back and unsealed", Duration.ofSeconds(30), () -> {
            org.osgi.framework.ServiceReference<dev.mamori.vault.VaultService> ref =
                    bundleContext.getServiceReference(dev.mamori.vault.VaultService.class);
            dev.mamori.vault.VaultService v = ref == null ? null : bundleContext.getService(ref);
            return v != null && !v.status().sealed() ? v : null;
        });
        for (Map.Entry<Integer, byte[]> e : store.rows.entrySet()) {
            org.junit.Assert.assertArrayEquals(new byte[] {(byte) (int) e.getKey()}, context.callAs(t.id(),
                    () -> fresh.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, e.getValue(), MemoryRecords.aad(t.id(), e.getKey()))));
        }
        vault = fresh;
    }

    /** The vault's associated-data format: each part as a 4-byte length and its UTF-8 bytes. */
    static byte[] aadOf(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

}

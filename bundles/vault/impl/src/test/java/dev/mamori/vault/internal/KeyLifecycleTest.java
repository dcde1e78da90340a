package dev.mamori.vault.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;


import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.tenant.TenantState;
import dev.mamori.vault.KeyCutOff;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.ShredReport;
import dev.mamori.vault.UnknownKeyException;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptionParticipant;
import dev.mamori.vault.spi.ReEncryptor;
import dev.mamori.vault.spi.WrappedKey;

/** Cut-offs (shredding that reaches backups), key escrow restore, and background re-encryption. */
class KeyLifecycleTest extends VaultFixture {
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();
    private VaultSettings settingsWithCopy(int batch) {
        return new VaultSettings(dir.resolve("escrow/key-escrow"), batch, 200, dir.resolve("second/key-escrow"));
    }

    private TestVault vault(int batch) {
        return vault(settingsWithCopy(batch));
    }

    /** A vault whose jobs do not run until {@link TestVault#startJobs()}: the test acts before a job takes a step. */
    private TestVault paused(int batch) {
        return paused(settingsWithCopy(batch));
    }

    static byte[] aad(String tenant, int row) {
        return Aad.of(tenant, "records", Integer.toString(row), "salary");
    }

    private <T> T as(String tenant, Supplier<T> work) {
        return context.callAs(tenant, work);
    }

    /** A database backup the way an operator takes one: an SQL dump of each store. */
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

    @Test
    @DisplayName("CRY-5, RET-3: a shredded tenant stays unreadable in a database backup taken before; the others restore from the escrow")
    void shreddingReachesBackups() throws Exception {
        TestVault v = vault(500);
        byte[] a = as(A, () -> v.encrypt(A, KeyPurpose.RECORDS, "a-salary".getBytes(StandardCharsets.UTF_8), aad(A, 1)));
        byte[] aName = as(A, () -> v.encryptPersonal(A, "p-1", "Yamada".getBytes(StandardCharsets.UTF_8), aad(A, 2)));
        byte[] b = as(B, () -> v.encrypt(B, KeyPurpose.RECORDS, "b-salary".getBytes(StandardCharsets.UTF_8), aad(B, 1)));
        byte[] bName = as(B, () -> v.encryptPersonal(B, "p-9", "Suzuki".getBytes(StandardCharsets.UTF_8), aad(B, 2)));
        dump(ds, dir.resolve("backup-main.sql"));
        dump(piiDs, dir.resolve("backup-pii.sql"));
        String kekBefore = provider.currentKekId();

        tenants.states.put(A, TenantState.DELETED);
        ShredReport report = v.shredTenant(A, A);
        assertEquals(1, report.dataKeys().size());
        assertEquals(1, report.personKeys());
        KeyCutOff cut = report.cutOff();
        assertEquals(List.of(kekBefore), cut.destroyedKekIds());
        assertEquals(List.of(cut.kekId()), provider.kekIds(), "only the new master key version is left in the keystore");
        assertEquals(2, cut.rewrapped(), "B's data key and person key re-wrapped");
        Path escrow = Path.of(cut.escrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(escrow)));
        String escrowText = Files.readString(escrow);
        assertFalse(escrowText.contains(A), "the shredded tenant is not in the escrow");
        assertTrue(escrowText.contains(B));

        // disaster: both stores come back from the backup taken before the shredding
        started.forEach(TestVault::deactivate);
        emf.close();
        piiEmf.close();
        restore(ds, dir.resolve("backup-main.sql"));
        restore(piiDs, dir.resolve("backup-pii.sql"));
        openUnits();
        TestVault back = vault(500);
        assertThrows(UnknownKeyException.class, () -> as(A, () -> back.decrypt(A, KeyPurpose.RECORDS, a, aad(A, 1))),
                "the restored row of A is wrapped under a destroyed master key");
        assertThrows(UnknownKeyException.class, () -> as(B, () -> back.decrypt(B, KeyPurpose.RECORDS, b, aad(B, 1))),
                "so is B's until the escrow is applied");

        assertEquals(new KeyRestoreReport(2, 0, 2, 0, false), back.restoreKeys(escrow, false), "dry run");
        assertThrows(UnknownKeyException.class, () -> as(B, () -> back.decrypt(B, KeyPurpose.RECORDS, b, aad(B, 1))),
                "a dry run changes nothing");
        KeyRestoreReport restored = back.restoreKeys(escrow, true);
        assertEquals(new KeyRestoreReport(2, 0, 2, 0, true), restored);
        assertArrayEquals("b-salary".getBytes(StandardCharsets.UTF_8), as(B, () -> back.decrypt(B, KeyPurpose.RECORDS, b, aad(B, 1))));
        assertArrayEquals("Suzuki".getBytes(StandardCharsets.UTF_8), as(B, () -> back.decryptPersonal(B, "p-9", bName, aad(B, 2))));
        assertThrows(KeyDestroyedException.class, () -> as(A, () -> back.decrypt(A, KeyPurpose.RECORDS, a, aad(A, 1))));
        assertThrows(KeyDestroyedException.class, () -> as(A, () -> back.decryptPersonal(A, "p-1", aName, aad(A, 2))));
        assertEquals(new KeyRestoreReport(0, 2, 0, 0, true), back.restoreKeys(escrow, true), "applying it again changes nothing");
    }

    @Test
    @DisplayName("IAM-5, CRY-5: a person erasure makes a cut-off pending; the scheduled check runs it once")
    void erasureCutOffIsScheduled() {
        TestVault v = vault(500);
        as(A, () -> v.encryptPersonal(A, "p-1", new byte[] {1}, aad(A, 1)));
        assertFalse(v.cutOffPending());
        String before = provider.currentKekId();
        assertTrue(as(A, () -> v.erasePerson(A, "p-1", "p-1")));
        assertTrue(v.cutOffPending());
        v.maintain();
        assertFalse(v.cutOffPending());
        assertFalse(provider.kekIds().contains(before), "the master key that wrapped the erased key is gone");
        String after = provider.currentKekId();
        v.maintain();
        assertEquals(after, provider.currentKekId(), "nothing pending: no new cut-off");
    }

    @Test
    @DisplayName("CRY-5: a provider that cannot destroy master keys makes the cut-off fail loudly before touching anything")
    void cutOffNeedsDestroyableKeys() {
        KeyProvider noDestroy = new KeyProvider() {
            @Override public String id() { return "test"; }
            @Override public boolean available() { return true; }
            @Override public String currentKekId() { return provider.currentKekId(); }
            @Override public WrappedKey wrap(byte[] dek, byte[] c) { return provider.wrap(dek, c); }
            @Override public byte[] unwrap(WrappedKey w, byte[] c) { return provider.unwrap(w, c); }
            @Override public String rotate() { return provider.rotate(); }
        };
        TestVault v = vault(500);
        v.bindProvider(noDestroy);
        byte[] blob = as(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {7}, aad(A, 1)));
        as(A, () -> v.erasePerson(A, "p-0", "p-0"));
        as(A, () -> v.encryptPersonal(A, "p-1", new byte[] {1}, aad(A, 2)));
        as(A, () -> v.erasePerson(A, "p-1", "p-1"));
        assertEquals("cutoff-unsupported", assertThrows(VaultException.class, v::cutOff).code());
        assertEquals(1, provider.kekIds().size(), "not even rotated");
        v.maintain();
        assertEquals(1, provider.kekIds().size(), "the scheduled check does not rotate over and over either");
        assertTrue(v.cutOffPending(), "and the erasure stays pending, not falsely done");
        tenants.states.put(A, TenantState.DELETED);
        VaultException shred = assertThrows(VaultException.class, () -> v.shredTenant(A, A));
        assertEquals("cutoff-failed", shred.code());
        assertTrue(shred.getMessage().contains("Destroyed 1 data key(s) and 0 person key(s)"), shred.getMessage());
        assertThrows(KeyDestroyedException.class, () -> as(A, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, 1))));
    }

    @Test
    @DisplayName("CRY-5: an escrow that is not one, or not this keystore's latest, is refused and changes nothing")
    void badEscrow() throws Exception {
        TestVault v = vault(500);
        byte[] blob = as(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {5}, aad(A, 1)));
        Path bogus = dir.resolve("bogus");
        Files.writeString(bogus, "D\tx\t1\n");
        assertEquals("escrow-invalid", assertThrows(VaultException.class, () -> v.restoreKeys(bogus, true)).code());
        Files.writeString(bogus, KeyEscrow.MAGIC + "\nkek\tkek-1-00000000\ndestroyed\t\nD\tx\tnot-a-number\tt\trecords\tkek-1-00000000\tAAAA\n");
        assertEquals("escrow-invalid", assertThrows(VaultException.class, () -> v.restoreKeys(bogus, true)).code());
        Files.writeString(bogus, KeyEscrow.MAGIC + "\nD\tx\t1\tt\trecords\tkek-1-00000000\tAAAA\n");
        assertEquals("escrow-invalid", assertThrows(VaultException.class, () -> v.restoreKeys(bogus, true)).code(),
                "no kek line");
        assertEquals("escrow-invalid", assertThrows(VaultException.class, () -> v.restoreKeys(dir.resolve("missing"), true)).code());
        // an escrow from an older cut-off (its master key is gone) must not mark anything destroyed
        Path old = Path.of(v.cutOff().escrow());
        Path copy = dir.resolve("older-escrow");
        Files.copy(old, copy);
        v.cutOff();
        assertEquals("escrow-stale", assertThrows(VaultException.class, () -> v.restoreKeys(copy, true)).code());
        assertArrayEquals(new byte[] {5}, as(A, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, 1))));
        assertEquals(new KeyRestoreReport(0, 1, 0, 0, true), v.restoreKeys(old, true), "the latest escrow is accepted");
    }

    @Test
    @DisplayName("CRY-5: the escrow refuses to write a field that would break its format, and nothing is destroyed")
    void escrowFieldsAreChecked() {
        assertThrows(VaultException.class, () -> KeyEscrow.format("kek\tbad", java.time.Instant.EPOCH, List.of(), List.of()));
        assertThrows(VaultException.class, () -> KeyEscrow.format("kek-1", java.time.Instant.EPOCH,
                List.of(new KeyEscrow.Entry('D', "id", 1, "t", "records", "kek-1", "a\nb")), List.of()));
        // KMS-style ids (colons, slashes) are fine
        KeyEscrow.format("arn:aws:kms:ap-northeast-1:1:key/abc", java.time.Instant.EPOCH, List.of(), List.of("arn:aws:kms:x:1:key/old"));
    }

    /** A component holding RECORDS ciphertext in memory: row number to blob. */
    static final class MemoryRecords implements ReEncryptionParticipant {
        final String tenant;
        final String name;
        final TreeMap<Integer, byte[]> rows = new TreeMap<>();
        final List<String> cursorsSeen = new CopyOnWriteArrayList<>();
        volatile int failOnCall = -1;
        volatile boolean stuck;
        volatile Runnable beforeBatch;
        int calls;

        MemoryRecords(String tenant) {
            this(tenant, "memory-records");
        }

        MemoryRecords(String tenant, String name) {
            this.tenant = tenant;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean holds(KeyPurpose purpose) {
            return purpose == KeyPurpose.RECORDS;
        }

        @Override
        public synchronized ReEncryptionBatch reEncrypt(String tenantId, KeyPurpose purpose, String cursor, int batchSize,
                ReEncryptor reEncryptor) {
            cursorsSeen.add(String.valueOf(cursor));
            if (++calls == failOnCall) {
                throw new IllegalStateException("disk full");
            }
            if (stuck) {
                return new ReEncryptionBatch("0", 0);
            }
            if (beforeBatch != null) {
                beforeBatch.run();
            }
            int from = cursor == null ? Integer.MIN_VALUE : Integer.parseInt(cursor);
            int seen = 0;
            int done = 0;
            Integer last = null;
            for (Map.Entry<Integer, byte[]> e : new TreeMap<>(rows.tailMap(from, false)).entrySet()) {
                if (seen++ == batchSize) {
                    break;
                }
                if (!reEncryptor.isCurrent(e.getValue())) {
                    rows.put(e.getKey(), reEncryptor.reEncrypt(e.getValue(), aad(tenantId, e.getKey())));
                    done++;
                }
                last = e.getKey();
            }
            return new ReEncryptionBatch(last == null || rows.higherKey(last) == null ? null : last.toString(), done);
        }
    }

    private static ReEncryptionJob await(TestVault v, String jobId, ReEncryptionJob.State state) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            ReEncryptionJob j = v.reEncryptionJobs().stream().filter(x -> x.id().equals(jobId)).findFirst().orElseThrow();
            if (j.state() == state) {
                return j;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + jobId + " never reached " + state + ": " + v.reEncryptionJobs());
    }

    @Test
    @DisplayName("CRY-3: background re-encryption moves every blob to the new version, then archives the old one until its backups expire")
    void reEncryptionRetiresOldVersion() throws Exception {
        TestVault v = vault(4);
        MemoryRecords store = new MemoryRecords(A);
        for (int i = 0; i < 25; i++) {
            record(v, store, i);
        }
        assertEquals("nothing-to-retire", assertThrows(VaultException.class, () -> v.reEncrypt(A, KeyPurpose.RECORDS)).code());
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        for (int i = 25; i < 30; i++) {
            record(v, store, i);
        }
        assertEquals("no-participants", assertThrows(VaultException.class, () -> v.reEncrypt(A, KeyPurpose.RECORDS)).code(),
                "without a component that holds the data, the old version must not be retired");
        v.bindParticipant(store);

        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        assertEquals(2, job.targetVersion());
        ReEncryptionJob done = await(v, job.id(), ReEncryptionJob.State.DONE);
        assertEquals(25, done.reEncrypted(), "only the 25 blobs under version 1 needed work");
        assertEquals(List.of(1), done.retiredVersions());
        assertEquals(List.of("memory-records"), done.participants());
        assertNotNull(done.finishedAt());
        for (Map.Entry<Integer, byte[]> e : store.rows.entrySet()) {
            assertEquals(2, KeyRef.named(e.getValue()).version());
            assertArrayEquals(new byte[] {(byte) (int) e.getKey()},
                    as(A, () -> v.decrypt(A, KeyPurpose.RECORDS, e.getValue(), aad(A, e.getKey()))));
        }
        List<KeyInfo> keys = v.keys(A);
        assertEquals(KeyInfo.State.ARCHIVED, keys.get(0).state());
        assertEquals(KeyInfo.State.ACTIVE, keys.get(1).state());
        assertEquals(8, store.cursorsSeen.size(), "30 rows in batches of 4");

        // the archived version is destroyed once the retention (200 days here) has passed, not before
        v.maintain();
        assertEquals(KeyInfo.State.ARCHIVED, v.keys(A).get(0).state());
        v.clock(Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(201)));
        v.maintain();
        assertEquals(KeyInfo.State.DESTROYED, v.keys(A).get(0).state());
        assertFalse(v.cutOffPending(), "retiring is not shredding: no cut-off is owed");
    }

    @Test
    @DisplayName("CRY-3, BAK: a backup taken before a re-encryption still restores after it and after a cut-off")
    void backupBeforeReEncryptionStillRestores() throws Exception {
        TestVault v = vault(10);
        MemoryRecords store = new MemoryRecords(A);
        byte[] old = as(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {42}, aad(A, 7)));
        store.rows.put(7, old);
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        dump(ds, dir.resolve("before-main.sql"));
        dump(piiDs, dir.resolve("before-pii.sql"));
        v.bindParticipant(store);
        await(v, v.reEncrypt(A, KeyPurpose.RECORDS).id(), ReEncryptionJob.State.DONE);
        tenants.states.put(B, TenantState.DELETED);
        as(B, () -> v.encrypt(B, KeyPurpose.RECORDS, new byte[] {1}, aad(B, 1)));
        KeyCutOff cut = v.shredTenant(B, B).cutOff();
        assertTrue(Files.readString(Path.of(cut.escrow())).contains("\t1\t" + A + "\trecords"), "the archived version is escrowed");

        started.forEach(TestVault::deactivate);
        emf.close();
        piiEmf.close();
        restore(ds, dir.resolve("before-main.sql"));
        restore(piiDs, dir.resolve("before-pii.sql"));
        openUnits();
        TestVault back = vault(10);
        assertEquals(2, back.restoreKeys(Path.of(cut.escrow()), true).restored(), "both versions of A");
        assertArrayEquals(new byte[] {42}, as(A, () -> back.decrypt(A, KeyPurpose.RECORDS, old, aad(A, 7))),
                "the blob as the old backup holds it, under the version re-encryption archived");
    }

    @Test
    @DisplayName("CRY-3: a component that held the data before but is not running blocks the start; one that comes late joins")
    void reEncryptionNeedsEveryComponent() throws Exception {
        TestVault v = paused(2);
        MemoryRecords records = new MemoryRecords(A, "records");
        MemoryRecords index = new MemoryRecords(A, "search-index");
        for (int i = 0; i < 4; i++) {
            record(v, records, i);
            record(v, index, i);
        }
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        v.bindParticipant(records);
        v.bindParticipant(index);
        v.unbindParticipant(index);
        VaultException missing = assertThrows(VaultException.class, () -> v.reEncrypt(A, KeyPurpose.RECORDS));
        assertEquals("participants-missing", missing.code());
        assertTrue(missing.getMessage().contains("search-index"), missing.getMessage());
        assertEquals(List.of(new dev.mamori.vault.ParticipantInfo("records", KeyPurpose.RECORDS, true),
                new dev.mamori.vault.ParticipantInfo("search-index", KeyPurpose.RECORDS, false)), v.participants(KeyPurpose.RECORDS));
        assertEquals("participant-running", assertThrows(VaultException.class,
                () -> v.forgetParticipant("records", KeyPurpose.RECORDS)).code());

        // the index comes back while the job is under way: it is added to the job and walked too
        v.forgetParticipant("search-index", KeyPurpose.RECORDS);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        assertEquals(List.of("records"), job.participants());
        v.bindParticipant(index);
        v.startJobs();
        ReEncryptionJob done = await(v, job.id(), ReEncryptionJob.State.DONE);
        assertEquals(List.of("records", "search-index"), done.participants());
        assertEquals(8, done.reEncrypted());
        for (byte[] blob : index.rows.values()) {
            assertEquals(2, KeyRef.named(blob).version());
        }
    }

    @Test
    @DisplayName("CRY-3: a component that makes no progress fails the job instead of looping; a job can be cancelled")
    void reEncryptionStopsWithoutProgressAndCancels() throws Exception {
        TestVault v = vault(2);
        MemoryRecords store = new MemoryRecords(A);
        store.rows.put(1, as(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, 1))));
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        store.stuck = true;
        v.bindParticipant(store);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        ReEncryptionJob failed = await(v, job.id(), ReEncryptionJob.State.FAILED);
        assertTrue(failed.detail().contains("same position twice"), failed.detail());
        ReEncryptionJob cancelled = v.cancelReEncryption(job.id());
        assertEquals(ReEncryptionJob.State.CANCELLED, cancelled.state());
        assertEquals("job-finished", assertThrows(dev.mamori.platform.error.MamoriException.class,
                () -> v.cancelReEncryption(job.id())).code());
        assertEquals("no-such-job", assertThrows(dev.mamori.platform.error.MamoriException.class,
                () -> v.cancelReEncryption("nope")).code());
        assertEquals(KeyInfo.State.RETIRED, v.keys(A).get(0).state(), "nothing archived");
        store.stuck = false;
        ReEncryptionJob again = v.reEncrypt(A, KeyPurpose.RECORDS);
        assertFalse(again.id().equals(job.id()), "a cancelled job is not resumed");
        assertEquals(List.of(1), await(v, again.id(), ReEncryptionJob.State.DONE).retiredVersions());
    }

    @Test
    @DisplayName("CRY-3: a failed re-encryption resumes from its last checkpoint, also after a restart")
    void reEncryptionResumes() throws Exception {
        TestVault v = vault(5);
        MemoryRecords store = new MemoryRecords(A);
        for (int i = 0; i < 20; i++) {
            record(v, store, i);
        }
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        store.failOnCall = 3;
        v.bindParticipant(store);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        ReEncryptionJob failed = await(v, job.id(), ReEncryptionJob.State.FAILED);
        assertEquals("disk full", failed.detail());
        assertEquals(10, failed.reEncrypted(), "two batches were checkpointed");
        assertEquals(KeyInfo.State.RETIRED, v.keys(A).get(0).state(), "nothing retired while data is left");

        // restart: a new vault on the same stores; starting again resumes the same job
        v.deactivate();
        TestVault restarted = vault(5);
        restarted.bindParticipant(store);
        ReEncryptionJob resumed = restarted.reEncrypt(A, KeyPurpose.RECORDS);
        assertEquals(job.id(), resumed.id());
        ReEncryptionJob done = await(restarted, job.id(), ReEncryptionJob.State.DONE);
        assertEquals(20, done.reEncrypted());
        assertEquals("9", store.cursorsSeen.get(3), "the resumed run started after the last checkpoint, not from the beginning");
        assertEquals(KeyInfo.State.ARCHIVED, restarted.keys(A).get(0).state());
    }

    @Test
    @DisplayName("CRY-3: a re-encryption waits for a component that went away and finishes when it is back")
    void reEncryptionWaitsForParticipant() throws Exception {
        TestVault v = paused(3);
        MemoryRecords store = new MemoryRecords(A);
        for (int i = 0; i < 6; i++) {
            record(v, store, i);
        }
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        v.bindParticipant(store);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        v.unbindParticipant(store);
        v.startJobs();
        for (int i = 0; i < 600 && !String.valueOf(v.reEncryptionJobs().get(0).detail()).startsWith("waiting"); i++) {
            Thread.sleep(20);
        }
        ReEncryptionJob waiting = v.reEncryptionJobs().get(0);
        assertEquals(ReEncryptionJob.State.RUNNING, waiting.state());
        assertEquals("waiting for component 'memory-records' to come back", waiting.detail());
        assertEquals(KeyInfo.State.RETIRED, v.keys(A).get(0).state());
        v.bindParticipant(store);
        assertEquals(List.of(1), await(v, job.id(), ReEncryptionJob.State.DONE).retiredVersions());
    }

    @Test
    @DisplayName("CRY-3: the re-encryptor moves a stream to the current version in constant memory, same plaintext")
    void streamReEncryption() throws Exception {
        TestVault v = vault(500);
        byte[] plain = new byte[200_000];
        new java.util.Random(7).nextBytes(plain);
        byte[] ad = Aad.of(A, "attachments", "f-1", "content");
        java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
        as(A, () -> {
            try (java.io.OutputStream out = v.encryptingStream(A, KeyPurpose.ATTACHMENTS, first, ad)) {
                out.write(plain);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        v.rotateTenantKey(A, KeyPurpose.ATTACHMENTS);
        ReEncryptor r = v.reEncryptor(A, KeyPurpose.ATTACHMENTS, 2);
        assertFalse(r.isCurrent(first.toByteArray()));
        java.io.ByteArrayOutputStream second = new java.io.ByteArrayOutputStream();
        as(A, () -> {
            try {
                r.reEncrypt(new java.io.ByteArrayInputStream(first.toByteArray()), second, ad);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        assertTrue(r.isCurrent(second.toByteArray()));
        byte[] back = as(A, () -> {
            try (java.io.InputStream in = v.decryptingStream(A, KeyPurpose.ATTACHMENTS,
                    new java.io.ByteArrayInputStream(second.toByteArray()), ad)) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertArrayEquals(plain, back);
    }

    private byte[] record(TestVault v, MemoryRecords store, int row) {
        byte[] blob = as(store.tenant, () -> v.encrypt(store.tenant, KeyPurpose.RECORDS, new byte[] {(byte) row}, aad(store.tenant, row)));
        store.rows.put(row, blob);
        return blob;
    }

    @Test
    @DisplayName("CRY-3: a failed job started again also walks a component that registered while it was stopped")
    void failedJobAdoptsLateComponent() throws Exception {
        TestVault v = vault(2);
        MemoryRecords a = new MemoryRecords(A, "a");
        MemoryRecords b = new MemoryRecords(A, "b");
        for (int i = 0; i < 3; i++) {
            record(v, a, i);
            record(v, b, i);
        }
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        a.failOnCall = 1;
        v.bindParticipant(a);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        await(v, job.id(), ReEncryptionJob.State.FAILED);
        v.bindParticipant(b);
        ReEncryptionJob resumed = v.reEncrypt(A, KeyPurpose.RECORDS);
        assertEquals(job.id(), resumed.id());
        assertEquals(List.of("a", "b"), resumed.participants());
        ReEncryptionJob done = await(v, job.id(), ReEncryptionJob.State.DONE);
        assertEquals(6, done.reEncrypted());
        for (byte[] blob : b.rows.values()) {
            assertEquals(2, KeyRef.named(blob).version(), "b's data was walked too");
        }
    }

    @Test
    @DisplayName("CRY-3: a job cancelled while queued never runs, archives nothing and cannot be cancelled twice")
    void cancelBeatsTheJobThread() throws Exception {
        TestVault v = paused(2);
        MemoryRecords store = new MemoryRecords(A);
        record(v, store, 1);
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        v.bindParticipant(store);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        assertEquals(ReEncryptionJob.State.CANCELLED, v.cancelReEncryption(job.id()).state());
        v.startJobs();
        v.jobs.poll();
        assertEquals(0, store.calls, "the cancelled job never took a step");
        assertEquals("job-finished", assertThrows(dev.mamori.platform.error.MamoriException.class,
                () -> v.cancelReEncryption(job.id())).code());
        assertEquals(ReEncryptionJob.State.CANCELLED, v.reEncryptionJobs().get(0).state());
        assertEquals(KeyInfo.State.RETIRED, v.keys(A).get(0).state(), "nothing archived");
        assertEquals(1, KeyRef.named(store.rows.get(1)).version(), "nothing re-encrypted either");
    }

    @Test
    @DisplayName("CRY-3: data missed by a re-encryption still decrypts under the archived version, postpones its end, and a new run picks it up")
    void missedDataUnderArchivedVersion() throws Exception {
        TestVault v = vault(10);
        MemoryRecords store = new MemoryRecords(A);
        byte[] missed = record(v, store, 1);
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        v.bindParticipant(store);
        await(v, v.reEncrypt(A, KeyPurpose.RECORDS).id(), ReEncryptionJob.State.DONE);
        store.rows.put(1, missed); // e.g. a write that committed with the old key after the job passed
        Instant start = Instant.now();
        v.clock(Clock.fixed(start.plus(java.time.Duration.ofDays(150)), java.time.ZoneOffset.UTC));
        assertArrayEquals(new byte[] {1}, as(A, () -> v.decrypt(A, KeyPurpose.RECORDS, missed, aad(A, 1))));
        v.clock(Clock.fixed(start.plus(java.time.Duration.ofDays(250)), java.time.ZoneOffset.UTC));
        v.maintain();
        assertEquals(KeyInfo.State.ARCHIVED, v.keys(A).get(0).state(), "200 days from the last use, not from archiving");
        ReEncryptionJob again = v.reEncrypt(A, KeyPurpose.RECORDS);
        assertEquals(List.of(1), await(v, again.id(), ReEncryptionJob.State.DONE).retiredVersions());
        assertEquals(2, KeyRef.named(store.rows.get(1)).version());
    }

    @Test
    @DisplayName("CRY-3: forgetting a component releases a job that waits for it")
    void forgetReleasesWaitingJob() throws Exception {
        TestVault v = paused(2);
        MemoryRecords a = new MemoryRecords(A, "a");
        MemoryRecords gone = new MemoryRecords(A, "gone");
        record(v, a, 1);
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        v.bindParticipant(a);
        v.bindParticipant(gone);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        v.unbindParticipant(gone);
        v.startJobs();
        for (int i = 0; i < 300 && !String.valueOf(v.reEncryptionJobs().get(0).detail()).startsWith("waiting"); i++) {
            Thread.sleep(20);
        }
        assertEquals("waiting for component 'gone' to come back", v.reEncryptionJobs().get(0).detail());
        assertTrue(v.forgetParticipant("gone", KeyPurpose.RECORDS));
        ReEncryptionJob done = await(v, job.id(), ReEncryptionJob.State.DONE);
        assertEquals(List.of("a"), done.participants());
    }

    @Test
    @DisplayName("CRY-3: a shutdown in the middle of a batch leaves the job RUNNING, to resume at the next start")
    void shutdownPausesTheJob() throws Exception {
        TestVault v = vault(2);
        MemoryRecords store = new MemoryRecords(A);
        for (int i = 0; i < 4; i++) {
            record(v, store, i);
        }
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        store.beforeBatch = () -> {
            v.jobs.stop();
            throw new IllegalStateException("interrupted");
        };
        v.bindParticipant(store);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        for (int i = 0; i < 600 && store.calls == 0; i++) {
            Thread.sleep(20);
        }
        v.deactivate();
        assertEquals(ReEncryptionJob.State.RUNNING, v.reEncryptionJobs().get(0).state());
        assertEquals("paused by shutdown", v.reEncryptionJobs().get(0).detail());
        store.beforeBatch = null;
        TestVault restarted = vault(2);
        restarted.bindParticipant(store);
        assertEquals(4, await(restarted, job.id(), ReEncryptionJob.State.DONE).reEncrypted(), "resumed on its own");
    }

    @Test
    @DisplayName("CRY-5: a key under a master key nobody holds (an old backup's) blocks no cut-off; the escrow goes to both places")
    void unknownKeysDoNotBlockCutOffs() throws Exception {
        TestVault v = vault(2);
        byte[] blob = as(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {3}, aad(A, 1)));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO mamori_vault_data_key (key_id, version, tenant_id, purpose, kek_id, wrapped, state, created_at) "
                    + "VALUES ('" + UUID.randomUUID() + "', 1, '" + B + "', 'records', 'kek-9-0badc0de', 'AAAA', 'ACTIVE', 0)");
        }
        KeyCutOff cut = v.cutOff();
        assertEquals(1, cut.rewrapped(), "A's key; the unknown one is left alone");
        assertFalse(Files.readString(Path.of(cut.escrow())).contains("kek-9-0badc0de"), "and it is not escrowed");
        assertEquals(Files.readString(Path.of(cut.escrow())), Files.readString(dir.resolve("second/key-escrow")));
        assertEquals(new KeyRestoreReport(0, 1, 0, 1, false), v.restoreKeys(Path.of(cut.escrow()), false));
        v.cutOff();
        assertArrayEquals(new byte[] {3}, as(A, () -> v.decrypt(A, KeyPurpose.RECORDS, blob, aad(A, 1))));
    }

    @Test
    @DisplayName("CRY-5: the escrow keeps the list of destroyed master keys even when the cut-off table comes from an older backup")
    void destroyedListSurvivesARestoredCutOffTable() throws Exception {
        TestVault v = vault(2);
        as(A, () -> v.encrypt(A, KeyPurpose.RECORDS, new byte[] {1}, aad(A, 1)));
        String first = provider.currentKekId();
        v.cutOff();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM mamori_vault_cutoff");
        }
        KeyCutOff second = v.cutOff();
        String destroyedLine = Files.readAllLines(Path.of(second.escrow())).stream().filter(l -> l.startsWith("destroyed\t"))
                .findFirst().orElseThrow();
        assertTrue(destroyedLine.contains(first), destroyedLine);
        assertEquals(2, destroyedLine.split(",").length, destroyedLine);
    }

    @Test
    @DisplayName("CRY-3: a job whose row another transaction holds past the lock timeout is retried, not failed")
    void lockTimeoutIsRetried() throws Exception {
        TestVault v = paused(5);
        MemoryRecords store = new MemoryRecords(A);
        for (int i = 0; i < 3; i++) {
            record(v, store, i);
        }
        v.rotateTenantKey(A, KeyPurpose.RECORDS);
        v.bindParticipant(store);
        ReEncryptionJob job = v.reEncrypt(A, KeyPurpose.RECORDS);
        try (Connection c = ds.getConnection()) {
            try (Statement st = c.createStatement()) {
                // sessions opened from now on (the job service's) wait 200 ms for a row lock, not H2's default
                st.execute("SET DEFAULT_LOCK_TIMEOUT 200");
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT * FROM mamori_job WHERE id = '" + job.id() + "' FOR UPDATE").close();
            }
            // one poll, in this thread: its claim waits for the row this transaction holds and times out
            v.jobs.poll();
            assertEquals(1, v.jobs.lockRetries(), "the claim's lock timeout, counted and left for the next poll");
            assertEquals(0, store.calls, "no step ran without the row");
            assertEquals(ReEncryptionJob.State.RUNNING, v.reEncryptionJobs().get(0).state(), "not FAILED");
            c.commit();
        }
        // the retry: the job service's own polls claim the same job and run it to the end
        v.startJobs();
        await(v, job.id(), ReEncryptionJob.State.DONE);
        assertEquals(1, v.jobs.lockRetries(), "no other lock timeout");
        for (byte[] blob : store.rows.values()) {
            assertEquals(2, KeyRef.named(blob).version());
        }
    }
}

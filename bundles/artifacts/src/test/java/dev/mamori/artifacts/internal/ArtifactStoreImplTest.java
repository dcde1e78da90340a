package dev.mamori.artifacts.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobArtifactStore;
import dev.mamori.tenant.TenantContext;
import dev.mamori.testsupport.MutableClock;
import dev.mamori.testsupport.TestDatabase;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultStatus;

@DisplayName("Job artifacts (issue #15 point 4): encrypted by the vault, bound to job and name, checked, expiring")
class ArtifactStoreImplTest {
    @TempDir
    java.nio.file.Path dir;

    final MutableClock clock = new MutableClock(ZoneId.of("Asia/Tokyo"));
    final List<String> platformAccess = new ArrayList<>();
    final List<TestDatabase> dbs = new ArrayList<>();

    @AfterEach
    void close() {
        dbs.forEach(TestDatabase::close);
    }

    /** AES-GCM per tenant with the associated data checked, as the vault does (not its format). */
    static final class GcmVault implements VaultService {
        private final SecureRandom random = new SecureRandom();
        private final java.util.Map<String, byte[]> keys = new java.util.concurrent.ConcurrentHashMap<>();
        final List<KeyPurpose> purposes = new ArrayList<>();

        private SecretKeySpec key(String tenantId) {
            return new SecretKeySpec(keys.computeIfAbsent(tenantId, t -> {
                byte[] k = new byte[32];
                random.nextBytes(k);
                return k;
            }), "AES");
        }

        private static void requireBound(String tenantId) {
            if (!tenantId.equals(ExecutionContext.require().tenantId().orElse(null))) {
                throw new IllegalStateException("the vault works in the bound tenant only");
            }
        }

        @Override
        public byte[] encrypt(String tenantId, KeyPurpose purpose, byte[] plaintext, byte[] associatedData) {
            requireBound(tenantId);
            purposes.add(purpose);
            try {
                byte[] iv = new byte[12];
                random.nextBytes(iv);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, key(tenantId), new GCMParameterSpec(128, iv));
                c.updateAAD(associatedData);
                byte[] ct = c.doFinal(plaintext);
                byte[] out = new byte[12 + ct.length];
                System.arraycopy(iv, 0, out, 0, 12);
                System.arraycopy(ct, 0, out, 12, ct.length);
                return out;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] decrypt(String tenantId, KeyPurpose purpose, byte[] blob, byte[] associatedData) {
            requireBound(tenantId);
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key(tenantId), new GCMParameterSpec(128, blob, 0, 12));
                c.updateAAD(associatedData);
                return c.doFinal(blob, 12, blob.length - 12);
            } catch (GeneralSecurityException e) {
                throw new DecryptionFailedException("does not decrypt here");
            }
        }

        /** AES-GCM over the whole stream (the JDK's cipher streams), IV first: enough for a double. */
        @Override
        public OutputStream encryptingStream(String tenantId, KeyPurpose purpose, OutputStream sink, byte[] associatedData)
                throws java.io.IOException {
            requireBound(tenantId);
            purposes.add(purpose);
            try {
                byte[] iv = new byte[12];
                random.nextBytes(iv);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, key(tenantId), new GCMParameterSpec(128, iv));
                c.updateAAD(associatedData);
                sink.write(iv);
                return new javax.crypto.CipherOutputStream(sink, c);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public InputStream decryptingStream(String tenantId, KeyPurpose purpose, InputStream source, byte[] associatedData)
                throws java.io.IOException {
            requireBound(tenantId);
            try {
                byte[] iv = source.readNBytes(12);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key(tenantId), new GCMParameterSpec(128, iv));
                c.updateAAD(associatedData);
                return new javax.crypto.CipherInputStream(source, c);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] encryptPersonal(String tenantId, String personId, byte[] plaintext, byte[] associatedData) {
            throw new UnsupportedOperationException("not used by the artifact store");
        }

        @Override
        public byte[] decryptPersonal(String tenantId, String personId, byte[] blob, byte[] associatedData) {
            throw new UnsupportedOperationException("not used by the artifact store");
        }

        @Override
        public boolean erasePerson(String tenantId, String personId, String confirmation) {
            throw new UnsupportedOperationException("not used by the artifact store");
        }

        @Override
        public byte[] blindIndex(String tenantId, String field, byte[] normalisedValue) {
            throw new UnsupportedOperationException("not used by the artifact store");
        }

        @Override
        public VaultStatus status() {
            throw new UnsupportedOperationException("not used by the artifact store");
        }
    }

    final GcmVault vault = new GcmVault();

    /** Binds the tenant as the tenant bundle does, and records each platform access. */
    final TenantContext tenants = new TenantContext() {
        @Override
        public <T> T callAs(String idOrSlug, Supplier<T> work) {
            return ExecutionContext.require().toBuilder().tenant(idOrSlug).build().call(work);
        }

        @Override
        public <T> T callAsPlatform(String idOrSlug, PlatformPurpose purpose, Supplier<T> work) {
            platformAccess.add(idOrSlug + " " + purpose.code());
            return ExecutionContext.require().toBuilder().tenant(idOrSlug).purpose(purpose.code()).build().call(work);
        }
    };

    ArtifactStoreImpl store(TestDatabase db) {
        dbs.add(db);
        DataSource ds = db.dataSource();
        Migrations.migrate(ds, ArtifactStoreImpl.class, "dev/mamori/artifacts/db", "mamori_schema_artifacts");
        return new ArtifactStoreImpl(ds, vault, tenants, clock, Duration.ofHours(168), 1024 * 1024);
    }

    static ExecutionContext step(String tenant) {
        return ExecutionContext.builder(Channel.JOB).principal(Principal.user("u-1", tenant, Set.of())).tenant(tenant).build();
    }

    static ExecutionContext operator() {
        return ExecutionContext.builder(Channel.REST).principal(Principal.operator("op-1", Set.of("operator"))).build();
    }

    @Test
    @DisplayName("CRY-2: written in the job's tenant under its attachments key, never in clear; read back checked; the operator's read says why")
    void roundTripH2() throws Exception {
        roundTrip(store(TestDatabase.h2(dir, "artifacts")));
    }

    @Test
    @DisplayName("CRY-2: the same on PostgreSQL (BYTEA)")
    void roundTripPostgres() throws Exception {
        roundTrip(store(TestDatabase.postgres("artifacts")));
    }

    private void roundTrip(ArtifactStoreImpl s) throws Exception {
        byte[] csv = "name,salary\n山田,9000000\n".getBytes(StandardCharsets.UTF_8);
        JobArtifact a = step("t-1").call(() -> s.write("job-1", "t-1", "export.csv", "text/csv", csv));
        assertEquals(ArtifactStoreImpl.sha256(csv), a.sha256());
        assertEquals(csv.length, a.size());
        assertEquals(clock.instant().plus(Duration.ofHours(168)), a.expiresAt());
        assertEquals(List.of(KeyPurpose.ATTACHMENTS), vault.purposes);
        try (Connection c = dbs.get(0).dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT content FROM mamori_job_artifact");
                ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            String stored = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
            assertFalse(stored.contains("salary") || stored.contains("9000000"), "no plaintext at rest");
        }
        JobArtifactStore.Content own = step("t-1").call(() -> s.read("job-1", "t-1", "export.csv")).orElseThrow();
        assertArrayEquals(csv, own.bytes());
        assertEquals(List.of(), platformAccess, "the tenant's own read is no platform access");
        JobArtifactStore.Content op = operator().call(() -> s.read("job-1", "t-1", "export.csv")).orElseThrow();
        assertArrayEquals(csv, op.bytes());
        assertEquals(List.of("t-1 jobs.artifact-download"), platformAccess);
        assertEquals(List.of("export.csv"), s.list("job-1", "t-1").stream().map(JobArtifact::name).toList());
        // written again (a retried step): replaced, not doubled
        step("t-1").call(() -> s.write("job-1", "t-1", "export.csv", "text/csv", "v2".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, s.list("job-1", "t-1").size());
        assertArrayEquals("v2".getBytes(StandardCharsets.UTF_8), step("t-1").call(() -> s.read("job-1", "t-1", "export.csv")).orElseThrow().bytes());
    }

    @Test
    @DisplayName("CRY-2: a blob moved to another job's row does not decrypt (associated data: tenant, job, name, hash)")
    void movedBlobRefused() throws Exception {
        ArtifactStoreImpl s = store(TestDatabase.h2(dir, "moved"));
        step("t-1").call(() -> s.write("job-1", "t-1", "a.csv", "text/csv", "secret".getBytes(StandardCharsets.UTF_8)));
        step("t-1").call(() -> s.write("job-2", "t-1", "a.csv", "text/csv", "public".getBytes(StandardCharsets.UTF_8)));
        try (Connection c = dbs.get(0).dataSource().getConnection()) {
            c.createStatement().executeUpdate("UPDATE mamori_job_artifact SET content = (SELECT content FROM mamori_job_artifact "
                    + "WHERE job_id = 'job-1'), sha256 = (SELECT sha256 FROM mamori_job_artifact WHERE job_id = 'job-1'), "
                    + "size_bytes = 6 WHERE job_id = 'job-2'");
        }
        assertThrows(DecryptionFailedException.class, () -> step("t-1").call(() -> s.read("job-2", "t-1", "a.csv")));
    }

    @Test
    @DisplayName("fail closed: no write outside the job's tenant context; nothing above the size limit")
    void refusals() throws Exception {
        ArtifactStoreImpl s = store(TestDatabase.h2(dir, "refusals"));
        MamoriException other = assertThrows(MamoriException.class,
                () -> step("t-2").call(() -> s.write("job-1", "t-1", "a.csv", "text/csv", new byte[1])));
        assertEquals(PlatformErrors.FORBIDDEN.code(), other.code());
        MamoriException big = assertThrows(MamoriException.class,
                () -> step("t-1").call(() -> s.write("job-1", "t-1", "a.csv", "text/csv", new byte[1024 * 1024 + 1])));
        assertEquals(PlatformErrors.INVALID.code(), big.code());
        assertEquals(List.of(), s.list("job-1", "t-1"));
        // another tenant's code writing under t-1's job id makes a row of its own tenant, never t-1's
        step("t-1").call(() -> s.write("job-1", "t-1", "a.csv", "text/csv", "t-1 data".getBytes(StandardCharsets.UTF_8)));
        step("t-2").call(() -> s.write("job-1", "t-2", "a.csv", "text/csv", "forged".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("t-1 data".getBytes(StandardCharsets.UTF_8), step("t-1").call(() -> s.read("job-1", "t-1", "a.csv"))
                .orElseThrow().bytes());
        assertEquals(1, s.list("job-1", "t-1").size());
    }

    @Test
    @DisplayName("CRY-3: a re-encryption of the attachments key walks the tenant's artifacts in batches, same associated data")
    void reEncryption() throws Exception {
        ArtifactStoreImpl s = store(TestDatabase.h2(dir, "reenc"));
        for (int i = 0; i < 5; i++) {
            int n = i;
            step("t-1").call(() -> s.write("job-" + n, "t-1", "a.csv", "text/csv", ("row " + n).getBytes(StandardCharsets.UTF_8)));
        }
        step("t-2").call(() -> s.write("job-x", "t-2", "a.csv", "text/csv", "other".getBytes(StandardCharsets.UTF_8)));
        List<String> aads = new ArrayList<>();
        dev.mamori.vault.spi.ReEncryptor marker = new dev.mamori.vault.spi.ReEncryptor() {
            @Override
            public boolean isCurrent(byte[] blob) {
                return false;
            }

            @Override
            public byte[] reEncrypt(byte[] blob, byte[] associatedData) {
                aads.add(new String(associatedData, StandardCharsets.UTF_8).split("\n")[2]);
                byte[] plain = vault.decrypt("t-1", KeyPurpose.ATTACHMENTS, blob, associatedData);
                return vault.encrypt("t-1", KeyPurpose.ATTACHMENTS, plain, associatedData);
            }

            @Override
            public void reEncrypt(InputStream source, OutputStream sink, byte[] associatedData) {
                throw new UnsupportedOperationException();
            }
        };
        ArtifactReEncryption participant = new ArtifactReEncryption(s);
        assertTrue(participant.holds(KeyPurpose.ATTACHMENTS) && !participant.holds(KeyPurpose.RECORDS));
        String cursor = null;
        int batches = 0;
        do {
            String from = cursor;
            dev.mamori.vault.spi.ReEncryptionBatch b = step("t-1").call(() -> participant.reEncrypt("t-1", KeyPurpose.ATTACHMENTS, from, 2,
                    marker));
            cursor = b.nextCursor();
            batches++;
        } while (cursor != null);
        assertEquals(List.of("job-0", "job-1", "job-2", "job-3", "job-4"), aads, "each of t-1's artifacts once, none of t-2's");
        assertEquals(3, batches);
        assertArrayEquals("row 3".getBytes(StandardCharsets.UTF_8), step("t-1").call(() -> s.read("job-3", "t-1", "a.csv")).orElseThrow().bytes());
    }

    @Test
    @DisplayName("RET: an expired artifact is neither listed nor served, and the purge deletes it")
    void expiry() throws Exception {
        ArtifactStoreImpl s = store(TestDatabase.h2(dir, "expiry"));
        step("t-1").call(() -> s.write("job-1", "t-1", "a.csv", "text/csv", new byte[] {1}));
        clock.advance(Duration.ofHours(167));
        assertEquals(0, s.purgeExpired());
        assertTrue(step("t-1").call(() -> s.read("job-1", "t-1", "a.csv")).isPresent());
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(), s.list("job-1", "t-1"));
        assertTrue(step("t-1").call(() -> s.read("job-1", "t-1", "a.csv")).isEmpty());
        assertEquals(1, s.purgeExpired());
        try (Connection c = dbs.get(0).dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM mamori_job_artifact")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    /** Pseudo-random bytes (they do not compress): spans several chunk rows. */
    static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        if (size > 2000) {
            System.arraycopy("SALARY-MARKER".getBytes(StandardCharsets.US_ASCII), 0, b, 1000, 13);
        }
        return b;
    }

    int rows(String sql) throws Exception {
        try (Connection c = dbs.get(0).dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static byte[] download(ExecutionContext ctx, ArtifactStoreImpl s, String job, String tenant, String name) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        JobArtifactStore.Download d = ctx.call(() -> s.open(job, tenant, name)).orElseThrow();
        ctx.call(() -> {
            try {
                d.content().writeTo(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        return out.toByteArray();
    }

    @Test
    @DisplayName("BAK-5: a streamed artifact goes through the vault's stream cipher into 256 KiB chunk rows and streams back; "
            + "replacing it drops the old chunks (H2)")
    void streamedH2() throws Exception {
        streamed(store(TestDatabase.h2(dir, "streamed")));
    }

    @Test
    @DisplayName("BAK-5: the same on PostgreSQL")
    void streamedPostgres() throws Exception {
        streamed(store(TestDatabase.postgres("artifacts")));
    }

    private void streamed(ArtifactStoreImpl s) throws Exception {
        byte[] zip = content(700_000, 1);
        JobArtifact a = step("t-1").call(() -> s.write("job-1", "t-1", "export.zip", "application/zip", out -> {
            for (int off = 0; off < zip.length; off += 10_000) {
                out.write(zip, off, Math.min(10_000, zip.length - off));
            }
        }));
        assertEquals(zip.length, a.size());
        assertEquals(ArtifactStoreImpl.sha256(zip), a.sha256());
        assertEquals(3, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk"), "700,000 bytes in 256 KiB rows");
        assertEquals(1, rows("SELECT COUNT(*) FROM mamori_job_artifact WHERE content IS NULL AND stream_id IS NOT NULL"));
        try (Connection c = dbs.get(0).dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT data FROM mamori_job_artifact_chunk")) {
            while (rs.next()) {
                assertFalse(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1).contains("SALARY-MARKER"), "no plaintext at rest");
            }
        }
        assertArrayEquals(zip, download(step("t-1"), s, "job-1", "t-1", "export.zip"));
        assertEquals(List.of(), platformAccess);
        assertArrayEquals(zip, download(operator(), s, "job-1", "t-1", "export.zip"), "the platform's way, when the job type allows it");
        assertEquals(List.of("t-1 jobs.artifact-download"), platformAccess);
        assertArrayEquals(zip, step("t-1").call(() -> s.read("job-1", "t-1", "export.zip")).orElseThrow().bytes());
        assertTrue(step("t-2").call(() -> s.open("job-1", "t-2", "export.zip")).isEmpty(), "another tenant's row only");

        byte[] v2 = content(10, 2);
        step("t-1").call(() -> s.write("job-1", "t-1", "export.zip", "application/zip", out -> out.write(v2)));
        assertArrayEquals(v2, download(step("t-1"), s, "job-1", "t-1", "export.zip"));
        assertEquals(1, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk"), "the old stream's chunks are gone");
        step("t-1").call(() -> s.write("job-1", "t-1", "export.zip", "application/zip", new byte[] {9}));
        assertEquals(0, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk"), "a whole artifact in its place drops the stream");
        assertArrayEquals(new byte[] {9}, download(step("t-1"), s, "job-1", "t-1", "export.zip"));
    }

    @Test
    @DisplayName("Nothing half-written: a writer that fails, or passes the size limit, leaves no artifact and no chunk; an earlier "
            + "artifact of the name stays")
    void streamedFailures() throws Exception {
        ArtifactStoreImpl s = store(TestDatabase.h2(dir, "streamfail"));
        step("t-1").call(() -> s.write("job-1", "t-1", "export.zip", "application/zip", out -> out.write(new byte[] {7})));
        java.io.UncheckedIOException broke = assertThrows(java.io.UncheckedIOException.class, () -> step("t-1").call(
                () -> s.write("job-1", "t-1", "export.zip", "application/zip", out -> {
                    out.write(content(600_000, 3));
                    throw new java.io.IOException("the database went away");
                })));
        assertTrue(broke.getMessage().contains("went away"));
        s.maxStreamBytes(100_000);
        java.io.UncheckedIOException big = assertThrows(java.io.UncheckedIOException.class, () -> step("t-1").call(
                () -> s.write("job-1", "t-1", "export.zip", "application/zip", out -> out.write(content(300_000, 4)))));
        assertTrue(big.getMessage().contains("limit"), big.getMessage());
        assertEquals(1, rows("SELECT COUNT(*) FROM mamori_job_artifact"));
        assertEquals(1, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk"), "only the first artifact's one chunk");
        assertArrayEquals(new byte[] {7}, download(step("t-1"), s, "job-1", "t-1", "export.zip"));
        assertEquals(PlatformErrors.FORBIDDEN.code(), assertThrows(MamoriException.class, () -> step("t-2").call(
                () -> s.write("job-1", "t-1", "x.zip", "application/zip", out -> out.write(1)))).code());
    }

    @Test
    @DisplayName("RET: expired streamed artifacts lose their chunks to the purge; chunks no artifact names go after two days")
    void streamedPurge() throws Exception {
        ArtifactStoreImpl s = store(TestDatabase.h2(dir, "streampurge"));
        step("t-1").call(() -> s.write("job-1", "t-1", "export.zip", "application/zip", out -> out.write(content(300_000, 5))));
        try (Connection c = dbs.get(0).dataSource().getConnection()) {
            c.createStatement().executeUpdate("INSERT INTO mamori_job_artifact_chunk (stream_id, seq, tenant_id, created_at, data) "
                    + "VALUES ('orphan', 0, 't-1', " + clock.millis() + ", X'00')");
        }
        clock.advance(Duration.ofDays(2).plusMinutes(1));
        s.purgeExpired();
        assertEquals(2, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk"), "the live artifact's chunks stay");
        assertEquals(0, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk WHERE stream_id = 'orphan'"));
        clock.advance(Duration.ofHours(168));
        assertEquals(1, s.purgeExpired());
        assertEquals(0, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk"));
    }

    @Test
    @DisplayName("CRY-3: re-encryption moves a streamed artifact into a new stream under the new key and drops the old one")
    void streamedReEncryption() throws Exception {
        ArtifactStoreImpl s = store(TestDatabase.h2(dir, "streamreenc"));
        byte[] zip = content(400_000, 6);
        step("t-1").call(() -> s.write("job-1", "t-1", "export.zip", "application/zip", out -> out.write(zip)));
        String before = streamId();
        List<String> streamed = new ArrayList<>();
        dev.mamori.vault.spi.ReEncryptor reEncryptor = new dev.mamori.vault.spi.ReEncryptor() {
            @Override
            public boolean isCurrent(byte[] blob) {
                return false;
            }

            @Override
            public byte[] reEncrypt(byte[] blob, byte[] associatedData) {
                throw new UnsupportedOperationException("a streamed artifact is re-encrypted as a stream");
            }

            @Override
            public void reEncrypt(InputStream source, OutputStream sink, byte[] associatedData) throws java.io.IOException {
                streamed.add(new String(associatedData, StandardCharsets.UTF_8));
                try (InputStream plain = vault.decryptingStream("t-1", KeyPurpose.ATTACHMENTS, source, associatedData);
                        OutputStream enc = vault.encryptingStream("t-1", KeyPurpose.ATTACHMENTS, sink, associatedData)) {
                    plain.transferTo(enc);
                }
            }
        };
        dev.mamori.vault.spi.ReEncryptionBatch b = step("t-1").call(() -> new ArtifactReEncryption(s).reEncrypt("t-1",
                KeyPurpose.ATTACHMENTS, null, 10, reEncryptor));
        assertEquals(1, b.reEncrypted());
        assertEquals(List.of("job-artifact-stream\nt-1\njob-1\nexport.zip"), streamed);
        assertFalse(before.equals(streamId()));
        assertEquals(0, rows("SELECT COUNT(*) FROM mamori_job_artifact_chunk WHERE stream_id = '" + before + "'"));
        assertArrayEquals(zip, download(step("t-1"), s, "job-1", "t-1", "export.zip"));
    }

    private String streamId() throws Exception {
        try (Connection c = dbs.get(0).dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT stream_id FROM mamori_job_artifact")) {
            rs.next();
            return rs.getString(1);
        }
    }
}

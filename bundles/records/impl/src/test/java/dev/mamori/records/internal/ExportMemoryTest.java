package dev.mamori.records.internal;

import static dev.mamori.records.internal.RecordsFixture.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mamori.platform.job.ArtifactWriter;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.records.ExportRequest;
import dev.mamori.vault.KeyPurpose;

/**
 * BAK-5: a 100,000-record tenant exports in bounded memory. Runs in its own JVM with a 64 MiB heap
 * (surefire execution {@code export-memory}), on PostgreSQL so that the data lives outside the heap:
 * the export's output (about 105 MB compressed) and the records alone (150 MB of payload) are each more
 * than the heap, so an export that held either whole would fail here. The peak heap after
 * collections is printed for the README.
 */
class ExportMemoryTest {
    static final int RECORDS = 100_000;

    @Test
    @DisplayName("BAK-5: 100,000 records (about 1.5 KB each) export through a 64 MiB heap; every record is in the ZIP")
    void hundredThousandRecordsInBoundedMemory() throws Exception {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= 80L * 1024 * 1024, "runs with a small heap (-Xmx64m in the export-memory execution), has " + max);
        RecordsFixture fx = RecordsFixture.postgres();
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            insert(fx, t.admin, t.id);
            as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null)));
            ExportJob.Params params = (ExportJob.Params) fx.jobs.submitted.get(fx.jobs.submitted.size() - 1).parameters();
            Counting sink = new Counting();
            long[] peakAfterGc = {0};
            ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .forEach(MemoryPoolMXBean::resetPeakUsage);
            long started = System.nanoTime();
            JobStep<JobType.None> done = as(t.admin, t.id, () -> dev.mamori.platform.db.UnitOfWork.get().call(
                    () -> fx.exportJob.step(new StreamingRun(params, t.id, sink, peakAfterGc))));
            long millis = (System.nanoTime() - started) / 1_000_000;
            JsonNode result = PayloadSchemas.JSON.readTree(done.result().orElseThrow());
            assertEquals(RECORDS, result.get("records").asLong());
            assertTrue(sink.bytes > max, "the ZIP (" + sink.bytes + " bytes) is bigger than the heap (" + max + ")");
            long peakPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("export of %,d records: %,d bytes in %,d ms; heap max %,d, peak used (pools) %,d, peak live after GC %,d%n",
                    RECORDS, sink.bytes, millis, max, peakPools, peakAfterGc[0]);
        } finally {
            fx.close();
        }
    }

    /** 100,000 records through the fixture's vault, inserted in batches (the records service's own path is tested elsewhere). */
    private static void insert(RecordsFixture fx, dev.mamori.platform.context.Principal admin, String tenant) throws Exception {
        Random random = new Random(42);
        long now = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        try (Connection c = fx.db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_record "
                + "(tenant_id, id, category, subject, scope, payload, version, created_at, created_by, updated_at, updated_by) "
                + "VALUES (?, ?, 'health-checkup', ?, 'dept/sales', ?, 1, ?, 'user:bulk', ?, 'user:bulk')")) {
            c.setAutoCommit(false);
            byte[] note = new byte[1000];
            for (int i = 0; i < RECORDS; i++) {
                String id = UUID.randomUUID().toString();
                random.nextBytes(note);
                String payload = "{\"height\":" + (150 + i % 50) + ",\"note\":\"" + Base64.getEncoder().encodeToString(note) + "\"}";
                byte[] blob = as(admin, tenant, () -> fx.vault.encrypt(tenant, KeyPurpose.RECORDS, payload.getBytes(StandardCharsets.UTF_8),
                        RecordServiceImpl.aad(tenant, id, 1)));
                ps.setString(1, tenant);
                ps.setString(2, id);
                ps.setString(3, "E-" + i);
                ps.setBytes(4, blob);
                ps.setLong(5, now);
                ps.setLong(6, now);
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Counts what the export streams; keeps nothing. */
    static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** The job run as the platform gives it, with the artifact streamed to a sink, as the artifact store streams it to chunk rows. */
    static final class StreamingRun implements JobRun<ExportJob.Params, JobType.None> {
        private final ExportJob.Params params;
        private final String tenant;
        private final Counting sink;
        private final long[] peakAfterGc;

        StreamingRun(ExportJob.Params params, String tenant, Counting sink, long[] peakAfterGc) {
            this.params = params;
            this.tenant = tenant;
            this.sink = sink;
            this.peakAfterGc = peakAfterGc;
        }

        @Override
        public String id() {
            return "job-memory";
        }

        @Override
        public String type() {
            return ExportJob.TYPE.name();
        }

        @Override
        public Optional<String> tenantId() {
            return Optional.of(tenant);
        }

        @Override
        public ExportJob.Params parameters() {
            return params;
        }

        @Override
        public Optional<JobType.None> cursor() {
            return Optional.empty();
        }

        @Override
        public long done() {
            return 0;
        }

        @Override
        public Optional<Long> total() {
            return Optional.empty();
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }

        @Override
        public void heartbeat(long doneSoFar, String detail) {
            if (doneSoFar % 20_000 < 200) {
                // what stays reachable mid-export, measured now and then
                System.gc();
                Runtime r = Runtime.getRuntime();
                peakAfterGc[0] = Math.max(peakAfterGc[0], r.totalMemory() - r.freeMemory());
            }
        }

        @Override
        public JobArtifact writeArtifact(String name, String mediaType, byte[] content) {
            throw new AssertionError("an export streams its artifact");
        }

        @Override
        public JobArtifact writeArtifact(String name, String mediaType, ArtifactWriter content) {
            try {
                content.writeTo(sink);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Instant now = Instant.now();
            return new JobArtifact(id(), tenant, name, mediaType, sink.bytes, "0".repeat(64), now, now);
        }
    }
}

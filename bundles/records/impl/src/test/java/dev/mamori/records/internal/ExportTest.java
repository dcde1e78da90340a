package dev.mamori.records.internal;

import static dev.mamori.records.internal.RecordsFixture.as;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.records.Attachment;
import dev.mamori.records.ExportRequest;
import dev.mamori.records.ExportService;
import dev.mamori.records.Record;
import dev.mamori.records.RecordEvents;
import dev.mamori.records.RecordExport;

/** Tenant exports (BAK-5) on H2 and PostgreSQL: what the ZIP holds, its manifest, the passphrase, who may export. */
class ExportTest {
    static Stream<RecordsFixture> dbs() {
        return RecordServiceTest.dbs();
    }

    private static void close(RecordsFixture fx) {
        if (fx.db.isPostgres()) {
            fx.close();
        }
    }

    /** Runs the last submitted export's step as {@code p}; returns the step and the artifact's bytes. */
    static JobStep<JobType.None> run(RecordsFixture fx, Principal p, String tenant) {
        return as(p, tenant, () -> fx.jobs.runLast(fx.exportJob));
    }

    static byte[] artifact(RecordsFixture fx, String name) {
        String jobId = fx.jobs.byId.entrySet().stream().filter(e -> e.getValue() == fx.jobs.submitted.get(fx.jobs.submitted.size() - 1))
                .findFirst().orElseThrow().getKey();
        return fx.jobs.artifacts.get(jobId + "/" + name);
    }

    /** The ZIP's entries in order. */
    static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static List<JsonNode> lines(byte[] jsonl) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : new String(jsonl, StandardCharsets.UTF_8).split("\n")) {
            if (!l.isEmpty()) {
                out.add(PayloadSchemas.JSON.readTree(l));
            }
        }
        return out;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] decrypt(byte[] message, String passphrase) throws Exception {
        BcPGPObjectFactory f = new BcPGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(message)));
        PGPEncryptedDataList list = (PGPEncryptedDataList) f.nextObject();
        PGPPBEEncryptedData d = (PGPPBEEncryptedData) list.get(0);
        assertTrue(d.isIntegrityProtected(), "an integrity-protected packet (MDC)");
        InputStream clear = d.getDataStream(new BcPBEDataDecryptorFactory(passphrase.toCharArray(), new BcPGPDigestCalculatorProvider()));
        PGPLiteralData literal = (PGPLiteralData) new BcPGPObjectFactory(clear).nextObject();
        assertEquals(ExportService.ZIP, literal.getFileName());
        byte[] zip = literal.getInputStream().readAllBytes();
        assertTrue(d.verify(), "the integrity check passes");
        return zip;
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("BAK-5: an admin's export holds categories, records (trash too), attachments, users with personal data and the audit log; "
            + "the manifest's hashes match every file; another tenant's data is not in it")
    void exportHoldsEverything(RecordsFixture fx) throws Exception {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            RecordServiceTest.Tenant other = new RecordServiceTest.Tenant(fx);
            Record kept = t.create(fx, "E-1", "{\"height\":170.5,\"note\":\"健診 EXPORT-MARKER\"}");
            Record trashed = t.create(fx, "E-2", "{\"height\":160}");
            as(t.nurse, t.id, () -> {
                fx.records.delete(trashed.id(), trashed.version());
                return null;
            });
            byte[] file = "attachment EXPORT-FILE 結果".getBytes(StandardCharsets.UTF_8);
            Attachment a = as(t.nurse, t.id, () -> fx.attachments.add(kept.id(), "結果.txt", "text/plain", new ByteArrayInputStream(file)));
            other.create(fx, "E-1", "{\"height\":99,\"note\":\"OTHER-TENANT\"}");

            RecordExport started = as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null)));
            assertEquals(ExportService.ZIP, started.artifact());
            assertTrue(started.personalData());
            assertFalse(started.encrypted());
            JobStep<JobType.None> done = run(fx, t.admin, t.id);
            assertEquals(JobStep.Kind.FINISHED, done.kind());
            JsonNode result = PayloadSchemas.JSON.readTree(done.result().orElseThrow());
            byte[] zip = artifact(fx, ExportService.ZIP);
            assertNotNull(zip, "the artifact was written");
            Map<String, byte[]> entries = unzip(zip);
            assertEquals(List.of("categories.jsonl", "records.jsonl", "attachments.jsonl", "attachments/" + a.id(), "users.jsonl",
                    "audit-log.jsonl", ExportArchive.MANIFEST), new ArrayList<>(entries.keySet()));

            List<JsonNode> records = lines(entries.get("records.jsonl"));
            assertEquals(2, records.size());
            JsonNode e1 = records.stream().filter(r -> r.get("id").asText().equals(kept.id())).findFirst().orElseThrow();
            assertEquals("健診 EXPORT-MARKER", e1.get("payload").get("note").asText());
            assertEquals("E-1", e1.get("subject").asText());
            assertEquals("2026", e1.get("labels").get(0).asText());
            assertTrue(e1.get("createdAt").asText().endsWith("+09:00"), "times in the configured zone: " + e1.get("createdAt"));
            JsonNode e2 = records.stream().filter(r -> r.get("id").asText().equals(trashed.id())).findFirst().orElseThrow();
            assertFalse(e2.get("deletedAt").isNull(), "the trash is exported, marked");
            assertFalse(new String(zip, StandardCharsets.ISO_8859_1).contains("OTHER-TENANT"));
            assertFalse(new String(entries.get("records.jsonl"), StandardCharsets.UTF_8).contains("OTHER-TENANT"), "TEN-1");

            assertArrayEquals(file, entries.get("attachments/" + a.id()));
            JsonNode attachment = lines(entries.get("attachments.jsonl")).get(0);
            assertEquals("結果.txt", attachment.get("name").asText());
            assertEquals(sha256(file), attachment.get("sha256").asText());

            assertEquals("health-checkup", lines(entries.get("categories.jsonl")).get(0).get("name").asText());
            assertEquals("object", lines(entries.get("categories.jsonl")).get(0).get("schema").get("type").asText());
            List<JsonNode> users = lines(entries.get("users.jsonl"));
            assertEquals(2, users.size(), "the tenant's accounts, not the other's");
            assertTrue(users.stream().anyMatch(u -> u.path("profile").path("fullName").asText().equals("Name of N-1")),
                    "personal data in an admin's export");
            assertTrue(fx.auditExports.contains(t.id + " tenant export (job " + PayloadSchemas.JSON.readTree(
                    new String(entries.get(ExportArchive.MANIFEST), StandardCharsets.UTF_8)).get("job").asText() + ")"));
            assertTrue(new String(entries.get("audit-log.jsonl"), StandardCharsets.UTF_8).contains("record.created"));

            JsonNode manifest = PayloadSchemas.JSON.readTree(entries.get(ExportArchive.MANIFEST));
            assertEquals(ExportJob.FORMAT, manifest.get("format").asText());
            assertEquals(t.id, manifest.get("tenant").asText());
            assertTrue(manifest.get("personalData").asBoolean());
            assertEquals(2, manifest.get("counts").get("records").asLong());
            assertEquals(1, manifest.get("counts").get("attachments").asLong());
            assertEquals(entries.size() - 1, manifest.get("files").size(), "every file but the manifest is listed");
            for (JsonNode f : manifest.get("files")) {
                byte[] content = entries.get(f.get("path").asText());
                assertEquals(sha256(content), f.get("sha256").asText(), f.get("path").asText());
                assertEquals(content.length, f.get("size").asLong(), f.get("path").asText());
            }
            assertEquals(sha256(entries.get(ExportArchive.MANIFEST)), result.get("manifestSha256").asText(),
                    "the job's result pins the manifest");
            assertEquals(1, fx.events.of(RecordEvents.EXPORT_STARTED).stream().filter(e -> e.tenantId().orElse("").equals(t.id)).count());
            assertEquals(1, fx.events.of(RecordEvents.EXPORTED).stream().filter(e -> e.tenantId().orElse("").equals(t.id)).count());
        } finally {
            close(fx);
        }
    }

    @Test
    @DisplayName("BAK-5: a cancel stops an export at its next heartbeat - after each attachment, however big - and keeps nothing")
    void cancelKeepsNothing() throws Exception {
        RecordsFixture fx = RecordsFixture.h2();
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            Record r = t.create(fx, "E-1", "{\"height\":170}");
            for (int i = 0; i < 3; i++) {
                as(t.nurse, t.id, () -> fx.attachments.add(r.id(), "scan.txt", "text/plain", new ByteArrayInputStream(new byte[] {'a'})));
            }
            as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null)));
            fx.jobs.cancelAtHeartbeat = 3; // records page, first attachment, second attachment
            assertThrows(dev.mamori.platform.job.JobCancelledException.class, () -> run(fx, t.admin, t.id));
            assertEquals("exported 2 attachments", fx.jobs.cancelledAt, "stopped between two files");
            assertEquals(null, artifact(fx, ExportService.ZIP), "no artifact of a cancelled export");
            assertEquals(0, fx.events.of(RecordEvents.EXPORTED).size());
        } finally {
            fx.close();
        }
    }

    @Test
    @DisplayName("BAK-5: a tenant starts at most export.per.day exports in 24 hours (429 past it; an outside attack filled shared "
            + "storage with them); the budget is the tenant's own and comes back after a day")
    void exportBudget() throws Exception {
        RecordsFixture fx = RecordsFixture.h2();
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            RecordServiceTest.Tenant other = new RecordServiceTest.Tenant(fx);
            for (int i = 0; i < fx.core.settings().exportsPerDay(); i++) {
                as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null)));
                run(fx, t.admin, t.id);
                fx.clock.advance(java.time.Duration.ofHours(1));
            }
            MamoriException limit = assertThrows(MamoriException.class, () -> as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null))));
            assertEquals(ErrorKind.TOO_MANY_REQUESTS, limit.kind());
            assertTrue(limit.getMessage().contains("export.per.day"), limit.getMessage());
            as(other.admin, other.id, () -> fx.exports.start(new ExportRequest(null)));
            fx.clock.advance(java.time.Duration.ofHours(22));
            as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null)));
        } finally {
            fx.close();
        }
    }

    @Test
    @DisplayName("BAK-5: with a passphrase the ZIP is an OpenPGP message (AES-256, MDC) that opens with it and not without; the job "
            + "keeps the passphrase only encrypted")
    void passphraseEncrypts() throws Exception {
        RecordsFixture fx = RecordsFixture.h2();
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            t.create(fx, "E-1", "{\"height\":170,\"note\":\"SECRET-NOTE\"}");
            String passphrase = "correct horse battery 駿馬";
            RecordExport started = as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(passphrase)));
            assertEquals(ExportService.ENCRYPTED_ZIP, started.artifact());
            ExportJob.Params params = (ExportJob.Params) fx.jobs.submitted.get(fx.jobs.submitted.size() - 1).parameters();
            assertFalse(params.passphrase().contains("horse"), "never stored in clear");
            assertFalse(params.toString().contains(params.passphrase()), "nor shown");
            run(fx, t.admin, t.id);
            byte[] message = artifact(fx, ExportService.ENCRYPTED_ZIP);
            assertFalse(new String(message, StandardCharsets.ISO_8859_1).contains("SECRET-NOTE"));
            Map<String, byte[]> entries = unzip(decrypt(message, passphrase));
            assertTrue(new String(entries.get("records.jsonl"), StandardCharsets.UTF_8).contains("SECRET-NOTE"));
            assertThrows(PGPException.class, () -> decrypt(message, "wrong passphrase 12345"));
        } finally {
            fx.close();
        }
    }

    @Test
    @DisplayName("BAK-5 interoperability: gpg --decrypt opens an encrypted export and unzip tests the ZIP")
    void gpgOpensIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/gpg").canExecute() && new File("/usr/bin/unzip").canExecute(), "gpg and unzip");
        RecordsFixture fx = RecordsFixture.h2();
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            t.create(fx, "E-1", "{\"height\":170,\"note\":\"GPG-MARKER\"}");
            String passphrase = "a passphrase for gpg, 日本語";
            as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(passphrase)));
            run(fx, t.admin, t.id);
            Path in = dir.resolve("export.zip.gpg");
            Files.write(in, artifact(fx, ExportService.ENCRYPTED_ZIP));
            Path out = dir.resolve("export.zip");
            Files.createDirectories(dir.resolve("gnupg"));
            Process gpg = new ProcessBuilder("/usr/bin/gpg", "--homedir", dir.resolve("gnupg").toString(), "--batch", "--yes",
                    "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--output", out.toString(), "--decrypt", in.toString())
                    .redirectErrorStream(true).start();
            gpg.getOutputStream().write((passphrase + "\n").getBytes(StandardCharsets.UTF_8));
            gpg.getOutputStream().close();
            String log = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(gpg.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, gpg.exitValue(), log);
            assertTrue(new String(unzip(Files.readAllBytes(out)).get("records.jsonl"), StandardCharsets.UTF_8).contains("GPG-MARKER"));
            Process unzip = new ProcessBuilder("/usr/bin/unzip", "-t", out.toString()).redirectErrorStream(true).start();
            String tested = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(unzip.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, unzip.exitValue(), tested);
            assertTrue(tested.contains("No errors detected"), tested);
        } finally {
            fx.close();
        }
    }

    @Test
    @DisplayName("BAK-5, OPS-2: only tenant admins export (an employee, support, another tenant's admin are refused); a short passphrase "
            + "is a 400; an operator's export leaves personal data out")
    void whoMayExport() throws Exception {
        RecordsFixture fx = RecordsFixture.h2();
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            RecordServiceTest.Tenant other = new RecordServiceTest.Tenant(fx);
            t.create(fx, "E-1", "{\"height\":170}");
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class,
                    () -> as(t.nurse, t.id, () -> fx.exports.start(new ExportRequest(null)))).kind());
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class,
                    () -> as(other.admin, t.id, () -> fx.exports.start(new ExportRequest(null)))).kind(), "another tenant's admin");
            Principal support = Principal.support("s-1", java.util.Set.of("support"));
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class,
                    () -> as(support, t.id, () -> fx.exports.start(new ExportRequest(null)))).kind());
            for (String bad : List.of("short", "with a newline\nin it", "nul\u0000character!!", "lone surrogate \ud800 here",
                    "x".repeat(ExportService.MAX_PASSPHRASE + 1), "              ")) {
                assertEquals(ErrorKind.INVALID, assertThrows(MamoriException.class,
                        () -> as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(bad)))).kind(), bad);
            }
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class,
                    () -> as(t.admin, t.id, () -> fx.exports.startForTenant(t.id))).kind(), "the operator's way is for operators");
            assertEquals(0, fx.jobs.submitted.size(), "nothing was submitted");

            Principal operator = Principal.operator("op-1", java.util.Set.of("operator"));
            // an expired tenant's admins cannot sign in to download it: refused rather than written for nobody
            fx.tenantStates.put(t.id, dev.mamori.tenant.TenantState.EXPIRED);
            assertEquals(ErrorKind.INVALID, assertThrows(MamoriException.class, () -> as(operator, null, () -> fx.exports.startForTenant(t.id)))
                    .kind());
            fx.tenantStates.remove(t.id);
            RecordExport e = as(operator, null, () -> fx.exports.startForTenant(t.id));
            assertFalse(e.personalData());
            JobStep<JobType.None> done = run(fx, operator, t.id);
            assertEquals(JobStep.Kind.FINISHED, done.kind());
            Map<String, byte[]> entries = unzip(artifact(fx, ExportService.ZIP));
            List<JsonNode> users = lines(entries.get("users.jsonl"));
            assertEquals(2, users.size());
            assertTrue(users.stream().noneMatch(u -> u.has("profile")), "no personal data in an operator's export");
            assertFalse(PayloadSchemas.JSON.readTree(entries.get(ExportArchive.MANIFEST)).get("personalData").asBoolean());

            // one export per tenant at a time: a second one while the first is open is a 409 naming it
            RecordExport first = as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null)));
            MamoriException busy = assertThrows(MamoriException.class, () -> as(t.admin, t.id,
                    () -> fx.exports.start(new ExportRequest("another passphrase 123"))));
            assertEquals(ErrorKind.CONFLICT, busy.kind());
            assertTrue(busy.getMessage().contains(first.jobId()), busy.getMessage());
            as(other.admin, other.id, () -> fx.exports.start(new ExportRequest(null)));
            // the step checks again: a job of this type an employee got hold of does not run for it
            fx.jobs.submitted.add(fx.jobs.byId.get(first.jobId()));
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> run(fx, t.nurse, t.id)).kind());
            run(fx, t.admin, t.id);
            as(t.admin, t.id, () -> fx.exports.start(new ExportRequest(null)));
        } finally {
            fx.close();
        }
    }
}

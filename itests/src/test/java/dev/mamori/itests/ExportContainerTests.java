package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * The tenant export through the distribution (issue #17, BAK-5): over REST as a job, encrypted or
 * plain, the manifest checked; refused to employees and other tenants; an operator's from the shell.
 */
public abstract class ExportContainerTests extends RecordContainerTests {
    /** The entries of a ZIP, in order. */
    static java.util.Map<String, byte[]> unzip(byte[] zip) throws IOException {
        java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null;) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Opens an OpenPGP message encrypted with a passphrase, as gpg --decrypt does. */
    static byte[] decrypt(byte[] message, String passphrase) throws Exception {
        org.bouncycastle.openpgp.bc.BcPGPObjectFactory f = new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(
                org.bouncycastle.openpgp.PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(message)));
        org.bouncycastle.openpgp.PGPPBEEncryptedData d = (org.bouncycastle.openpgp.PGPPBEEncryptedData)
                ((org.bouncycastle.openpgp.PGPEncryptedDataList) f.nextObject()).get(0);
        java.io.InputStream clear = d.getDataStream(new org.bouncycastle.openpgp.operator.bc.BcPBEDataDecryptorFactory(
                passphrase.toCharArray(), new org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider()));
        byte[] zip = ((org.bouncycastle.openpgp.PGPLiteralData) new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(clear).nextObject())
                .getInputStream().readAllBytes();
        assertTrue("integrity", d.isIntegrityProtected() && d.verify());
        return zip;
    }

    /**
     * BAK-5 (issue #17): a tenant admin exports the tenant over REST as a job - a ZIP encrypted with a
     * passphrase, or plain - and downloads it; the manifest's hashes match each file and the job's result
     * pins the manifest; employees and another tenant get nothing; an operator's export from the shell
     * (progress shown) leaves personal data out and only the tenant's admin downloads it; it is all in
     * the tenant's audit log.
     */
    @Test
    public void rec6_exportsAsAJobWithAManifestOptionallyEncrypted() throws Exception {
        Tenant t = newTenant("recexp");
        Account admin = bootstrapAdmin(t);
        Account nurse = createEmployee(admin, "nurse");
        defineCategory(admin, "health-checkup");
        grant(admin, nurse, "records:read:health-checkup/dept/sales", "records:write:health-checkup/dept/sales");
        String marker = "EXPORT" + shortId();
        String id = str(create(nurse, "health-checkup", "E-31", "{\"height\":170,\"note\":\"" + marker + "\"}").body(), "id");
        assertEquals(201, https.send(bearer("/api/v1/records/" + id + "/attachments?name=scan.txt", nurse.bearer)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("scan " + marker))).statusCode());

        assertProblem(https.send(jsonBody(bearer("/api/v1/exports", nurse.bearer)).POST(HttpRequest.BodyPublishers.ofString("{}"))),
                403, "records-forbidden");
        assertProblem(https.send(jsonBody(bearer("/api/v1/exports", admin.bearer)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"passphrase\":\"short\"}"))), 400, "invalid-export");
        // found by an outside attack: null, a number or no body at all were read as "no passphrase" and gave a plain ZIP
        for (String body : List.of("{\"passphrase\":null}", "{\"passphrase\":123456789012345}", "null")) {
            assertProblem(https.send(jsonBody(bearer("/api/v1/exports", admin.bearer)).POST(HttpRequest.BodyPublishers.ofString(body))),
                    400, "invalid-export");
        }
        assertProblem(https.send(jsonBody(bearer("/api/v1/exports", admin.bearer)).POST(HttpRequest.BodyPublishers.noBody())), 400,
                "invalid-export");
        // a body of no stated type: 415 before CXF (which logged an ERROR for each)
        assertProblem(https.send(bearer("/api/v1/exports", admin.bearer).POST(HttpRequest.BodyPublishers.ofString("{}"))), 415,
                "unsupported-media-type");
        // and an unknown charset was a 500 with an HTML page before any filter, for anyone
        for (String type : List.of("application/json; charset=foo", "application/json; charset=\"")) {
            assertProblem(https.send(bearer("/api/v1/exports", admin.bearer).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "unsupported-charset");
        }

        String passphrase = "export passphrase " + shortId();
        HttpResponse<String> accepted = https.send(jsonBody(bearer("/api/v1/exports", admin.bearer)).POST(HttpRequest.BodyPublishers
                .ofString("{\"passphrase\":\"" + passphrase + "\"}")));
        assertEquals(accepted.body(), 202, accepted.statusCode());
        assertEquals("export.zip.gpg", str(accepted.body(), "artifact"));
        String job = str(accepted.body(), "jobId");
        String ended = jobEnded(admin, job);
        assertTrue(ended, ended.contains("\"DONE\""));
        HttpResponse<byte[]> file = https.sendForBytes(bearer("/api/v1/jobs/" + job + "/artifacts/export.zip.gpg", admin.bearer).GET());
        assertEquals(200, file.statusCode());
        assertEquals("application/pgp-encrypted", file.headers().firstValue("Content-Type").orElse(""));
        assertTrue(indexOf(file.body(), marker.getBytes(StandardCharsets.UTF_8)) < 0);
        java.util.Map<String, byte[]> entries = unzip(decrypt(file.body(), passphrase));
        assertTrue(new String(entries.get("records.jsonl"), StandardCharsets.UTF_8).contains(marker));
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(entries.get("manifest.json"));
        for (com.fasterxml.jackson.databind.JsonNode f : manifest.get("files")) {
            assertEquals(f.get("path").asText(), f.get("sha256").asText(), sha256(entries.get(f.get("path").asText())));
        }
        assertTrue(ended, ended.contains(sha256(entries.get("manifest.json"))));
        assertTrue(manifest.get("personalData").asBoolean());
        assertTrue(new String(entries.get("users.jsonl"), StandardCharsets.UTF_8).contains("\"profile\""));
        assertTrue(new String(entries.get("audit-log.jsonl"), StandardCharsets.UTF_8).contains("record.created"));

        // another tenant's admin: the same as for a job that does not exist
        Account stranger = bootstrapAdmin(newTenant("recexp2"));
        assertProblem(https.send(bearer("/api/v1/jobs/" + job + "/artifacts/export.zip.gpg", stranger.bearer).GET()), 404, "no-such-artifact");

        String shell = operator("mamori:export-create --wait " + t.slug());
        assertTrue(shell, shell.contains("personal data left out") && shell.contains("DONE"));
        String operatorJob = shell.replaceAll("(?s).*job ([0-9a-f-]{36}).*", "$1");
        HttpResponse<byte[]> plain = https.sendForBytes(bearer("/api/v1/jobs/" + operatorJob + "/artifacts/export.zip", admin.bearer).GET());
        assertEquals(200, plain.statusCode());
        java.util.Map<String, byte[]> opEntries = unzip(plain.body());
        assertFalse(new String(opEntries.get("users.jsonl"), StandardCharsets.UTF_8).contains("\"profile\""));
        assertTrue(new String(opEntries.get("records.jsonl"), StandardCharsets.UTF_8).contains(marker));

        String log = https.send(bearer("/api/v1/audit/events?action=record.export.&limit=100", admin.bearer).GET()).body();
        assertTrue(log, log.contains("record.export.started") && log.contains("record.export.read"));
        assertNowhereOnDisk(marker);
    }
}

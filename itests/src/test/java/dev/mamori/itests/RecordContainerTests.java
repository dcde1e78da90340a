package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * Records through the distribution (issue #17): a tenant admin defines a category, grants a scoped
 * permission, the employee writes and reads records with ETag and If-Match, deletes one to the trash
 * and restores it; every step is in the tenant's audit log; the payload is nowhere on disk in clear;
 * another tenant's admin, granted every record permission in its own tenant, gets exactly what it
 * gets for ids that never existed.
 */
public abstract class RecordContainerTests extends AuditContainerTests {
    static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"height\"],\"properties\":{\"height\":{\"type\":\"number\"},"
            + "\"note\":{\"type\":\"string\"}},\"additionalProperties\":false}";

    static HttpRequest.Builder jsonBody(HttpRequest.Builder b) {
        return b.header("Content-Type", "application/json");
    }

    void defineCategory(Account admin, String name) throws Exception {
        HttpResponse<String> r = https.send(jsonBody(bearer("/api/v1/categories/" + name, admin.bearer)).PUT(HttpRequest.BodyPublishers
                .ofString("{\"title\":\"Health checkup\",\"schema\":" + SCHEMA + ",\"retentionDays\":1825}")));
        assertEquals(r.body(), 200, r.statusCode());
    }

    /** Grants an employee permissions; a change of grants ends the account's sessions, so it signs in again. */
    void grant(Account admin, Account to, String... permissions) throws Exception {
        HttpResponse<String> r = https.send(jsonBody(bearer("/api/v1/users/" + to.id + "/permissions", admin.bearer))
                .PUT(HttpRequest.BodyPublishers.ofString(toJson(java.util.Map.of("permissions", List.of(permissions))))));
        assertEquals(r.body(), 200, r.statusCode());
        HttpResponse<String> again = login(to.tenant.slug(), to.login, to.password, null, "bearer");
        assertEquals(again.body(), "AUTHENTICATED", str(again.body(), "state"));
        to.bearer = str(again.body(), "token");
    }

    HttpResponse<String> create(Account who, String category, String subject, String payload) throws Exception {
        return https.send(jsonBody(bearer("/api/v1/records", who.bearer)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"category\":\"" + category + "\",\"subject\":\"" + subject + "\",\"scope\":\"dept/sales\",\"payload\":" + payload + "}")));
    }

    @Test
    public void rec1_categoryRecordTrashOverRestWithETagsAndAuditEntries() throws Exception {
        Tenant t = newTenant("rec");
        Account admin = bootstrapAdmin(t);
        Account nurse = createEmployee(admin, "nurse");
        Account other = createEmployee(admin, "emp");
        defineCategory(admin, "health-checkup");
        grant(admin, nurse, "records:read:health-checkup/dept/sales", "records:write:health-checkup/dept/sales");
        String marker = "MARKER" + UUID.randomUUID().toString().replace("-", "");

        assertProblem(create(other, "health-checkup", "E-1", "{\"height\":170}"), 403, "permission-missing");
        assertProblem(create(nurse, "health-checkup", "E-1", "{\"height\":\"tall\"}"), 400, "invalid-payload");
        HttpResponse<String> created = create(nurse, "health-checkup", other.employeeNumber, "{\"height\":170.5,\"note\":\"" + marker + "\"}");
        assertEquals(created.body(), 201, created.statusCode());
        assertEquals("\"1\"", created.headers().firstValue("ETag").orElse(""));
        String id = str(created.body(), "id");
        assertTrue(created.body(), created.body().contains("\"payload\":{\"height\":170.5,\"note\":\"" + marker + "\"}"));

        HttpResponse<String> read = https.send(bearer("/api/v1/records/" + id, nurse.bearer).GET());
        assertEquals(read.body(), 200, read.statusCode());
        assertEquals("\"1\"", read.headers().firstValue("ETag").orElse(""));
        // the person the record is about reads it without any grant; nobody else does
        assertEquals(200, https.send(bearer("/api/v1/records/" + id, other.bearer).GET()).statusCode());
        assertProblem(https.send(bearer("/api/v1/records/" + id, admin.bearer).GET()), 404, "no-such-record");

        String change = "{\"payload\":{\"height\":171},\"scope\":\"dept/sales\"}";
        assertProblem(https.send(jsonBody(bearer("/api/v1/records/" + id, nurse.bearer)).PUT(HttpRequest.BodyPublishers.ofString(change))),
                428, "version-required");
        HttpResponse<String> changed = https.send(jsonBody(bearer("/api/v1/records/" + id, nurse.bearer)).header("If-Match", "\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString(change)));
        assertEquals(changed.body(), 200, changed.statusCode());
        assertEquals("\"2\"", changed.headers().firstValue("ETag").orElse(""));
        assertProblem(https.send(jsonBody(bearer("/api/v1/records/" + id, nurse.bearer)).header("If-Match", "\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString(change))), 412, "version-mismatch");

        HttpResponse<String> page = https.send(bearer("/api/v1/records?category=health-checkup&limit=10", nurse.bearer).GET());
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue(page.body(), page.body().contains(id));

        HttpResponse<String> deleted = https.send(bearer("/api/v1/records/" + id, nurse.bearer).header("If-Match", "\"2\"").DELETE());
        assertEquals(deleted.body(), 200, deleted.statusCode());
        assertProblem(https.send(bearer("/api/v1/records/" + id, nurse.bearer).GET()), 404, "no-such-record");
        assertTrue(https.send(bearer("/api/v1/trash", nurse.bearer).GET()).body().contains(id));
        assertEquals(200, https.send(bearer("/api/v1/trash/" + id + "/restore", nurse.bearer).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode());
        assertEquals(200, https.send(bearer("/api/v1/records/" + id, nurse.bearer).GET()).statusCode());

        String log = https.send(bearer("/api/v1/audit/events?action=record.&limit=1000", admin.bearer).GET()).body();
        for (String action : List.of("record.category.defined", "record.created", "record.read", "record.updated", "record.trashed",
                "record.restored")) {
            assertTrue(action + " in " + log, log.contains("\"" + action + "\""));
        }
        assertFalse("no payload in the audit log", log.contains(marker));
        String counts = operator("mamori:record-count " + t.slug());
        assertTrue(counts, counts.contains("health-checkup"));
        assertNowhereOnDisk(marker);
    }

    /** CRY-2: the payload's marker is in no file of the server: database files, logs, anything under data. */
    static void assertNowhereOnDisk(String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<Path> roots = new ArrayList<>();
        roots.add(Paths.get(System.getProperty("karaf.data")));
        roots.add(Paths.get(System.getProperty("karaf.etc")));
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    byte[] content;
                    try {
                        content = Files.readAllBytes(f);
                    } catch (IOException e) {
                        continue;
                    }
                    assertFalse(marker + " in " + f, indexOf(content, needle) >= 0);
                }
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    public void rec2_anotherTenantGetsWhatItGetsForIdsThatNeverExisted() throws Exception {
        Tenant ta = newTenant("reca");
        Tenant tb = newTenant("recb");
        Account adminA = bootstrapAdmin(ta);
        Account adminB = bootstrapAdmin(tb);
        defineCategory(adminA, "health-checkup");
        defineCategory(adminB, "health-checkup");
        Account a = createEmployee(adminA, "nurse");
        Account b = createEmployee(adminB, "nurse");
        grant(adminA, a, "records:*");
        grant(adminB, b, "records:*");
        String id = str(create(a, "health-checkup", "E-9", "{\"height\":150}").body(), "id");
        String trashed = str(create(a, "health-checkup", "E-9", "{\"height\":151}").body(), "id");
        assertEquals(200, https.send(bearer("/api/v1/records/" + trashed, a.bearer).header("If-Match", "\"1\"").DELETE()).statusCode());
        String body = "{\"payload\":{\"height\":1}}";
        List<Call> calls = List.of(
                named("GET /records/{id}", (x, tok) -> bearer("/api/v1/records/" + x, tok).GET()),
                named("PUT /records/{id}", (x, tok) -> jsonBody(bearer("/api/v1/records/" + x, tok)).header("If-Match", "\"1\"")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))),
                named("DELETE /records/{id}", (x, tok) -> bearer("/api/v1/records/" + x, tok).header("If-Match", "\"1\"").DELETE()),
                named("POST /trash/{id}/restore", (x, tok) -> bearer("/api/v1/trash/" + x + "/restore", tok)
                        .POST(HttpRequest.BodyPublishers.noBody())),
                named("DELETE /trash/{id}", (x, tok) -> bearer("/api/v1/trash/" + x, tok).DELETE()));
        for (String target : List.of(id, trashed)) {
            String random = UUID.randomUUID().toString();
            for (Call call : calls) {
                HttpResponse<String> existing = https.send(call.request(target, b.bearer));
                HttpResponse<String> none = https.send(call.request(random, b.bearer));
                int s = existing.statusCode();
                assertTrue(call + " " + s + " " + existing.body(), s == 403 || s == 404);
                assertEquals(call + ": same answer as for an id that never was", normalised(none, random), normalised(existing, target));
            }
        }
        assertFalse(https.send(bearer("/api/v1/records?limit=200", b.bearer).GET()).body().contains(id));
        assertFalse(https.send(bearer("/api/v1/trash", b.bearer).GET()).body().contains(trashed));
        assertProblem(https.send(bearer("/api/v1/record-counts/" + ta.id(), adminB.bearer).GET()), 404, "no-such-record");
        assertProblem(https.send(bearer("/api/v1/categories/health-checkup", a.bearer).DELETE()), 403,
                "records-forbidden");
        // A's record is untouched
        HttpResponse<String> still = https.send(bearer("/api/v1/records/" + id, a.bearer).GET());
        assertEquals(still.body(), "\"1\"", still.headers().firstValue("ETag").orElse(""));
        assertEquals(200, https.send(bearer("/api/v1/trash/" + trashed + "/restore", a.bearer).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode());
    }

    @Test
    public void rec3_attachmentsStreamEncryptedAndComeBackAsDownloads() throws Exception {
        Tenant t = newTenant("recatt");
        Account admin = bootstrapAdmin(t);
        Account nurse = createEmployee(admin, "nurse");
        Account other = createEmployee(admin, "emp");
        defineCategory(admin, "health-checkup");
        grant(admin, nurse, "records:read:health-checkup/dept/sales", "records:write:health-checkup/dept/sales");
        String id = str(create(nurse, "health-checkup", "E-1", "{\"height\":150}").body(), "id");
        String marker = "ATTMARKER" + UUID.randomUUID().toString().replace("-", "");
        byte[] pdf = new byte[3 * 1024 * 1024];
        byte[] head = ("%PDF-1.7\n" + marker + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, pdf, 0, head.length);
        for (int i = head.length; i < pdf.length; i++) {
            pdf[i] = (byte) (i % 251);
        }
        String path = "/api/v1/records/" + id + "/attachments";
        HttpResponse<String> added = https.send(bearer(path + "?name=" + java.net.URLEncoder.encode("健診 " + marker + ".pdf",
                StandardCharsets.UTF_8), nurse.bearer).header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(pdf)));
        assertEquals(added.body(), 201, added.statusCode());
        String attachment = str(added.body(), "id");
        assertProblem(https.send(bearer(path + "?name=x.pdf", nurse.bearer).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofString("#!/bin/sh\nrm -rf /"))), 400, "invalid-attachment");
        assertProblem(https.send(bearer(path + "?name=x.pdf", other.bearer).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pdf))), 403, "permission-missing");
        HttpResponse<byte[]> down = https.sendForBytes(bearer(path + "/" + attachment, nurse.bearer).GET());
        assertEquals(200, down.statusCode());
        org.junit.Assert.assertArrayEquals(pdf, down.body());
        assertTrue(down.headers().firstValue("Content-Disposition").orElse(""), down.headers().firstValue("Content-Disposition")
                .orElse("").startsWith("attachment; "));
        assertEquals("application/pdf", down.headers().firstValue("Content-Type").orElse(""));
        assertTrue("the name is shown to readers", https.send(bearer(path, nurse.bearer).GET()).body().contains(marker));
        assertProblem(https.send(bearer(path + "/" + UUID.randomUUID(), nurse.bearer).GET()), 404, "no-such-attachment");
        String log = https.send(bearer("/api/v1/audit/events?action=record.attachment.&limit=100", admin.bearer).GET()).body();
        assertTrue(log, log.contains("record.attachment.added") && log.contains("record.attachment.read"));
        assertFalse(log, log.contains(marker));
        assertNowhereOnDisk(marker);
        assertEquals(204, https.send(bearer(path + "/" + attachment, nurse.bearer).DELETE()).statusCode());
        assertProblem(https.send(bearer(path + "/" + attachment, nurse.bearer).GET()), 404, "no-such-attachment");
    }

    /** Waits for a job to end and returns its JSON as the caller sees it. */
    String jobEnded(Account who, String jobId) throws Exception {
        String[] last = {""};
        try {
            return Wait.until("job " + jobId, java.time.Duration.ofSeconds(60), () -> {
                String body = https.send(bearer("/api/v1/jobs/" + jobId, who.bearer).GET()).body();
                last[0] = body;
                return body.contains("\"DONE\"") || body.contains("\"FAILED\"") ? body : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0]);
        }
    }

    @Test
    public void rec4_importsShiftJisCsvAsAJobAndReportsRejectedRows() throws Exception {
        Tenant t = newTenant("recimp");
        Account admin = bootstrapAdmin(t);
        Account nurse = createEmployee(admin, "nurse");
        defineCategory(admin, "health-checkup");
        grant(admin, nurse, "records:read:health-checkup/dept/sales", "records:write:health-checkup/dept/sales");
        byte[] sjis = "社員番号,scope,height,note\r\nE-21,dept/sales,150.5,経過観察\r\nE-22,dept/sales,161,\r\n"
                .getBytes(java.nio.charset.Charset.forName("windows-31j"));
        HttpResponse<String> accepted = https.send(bearer("/api/v1/imports?category=health-checkup&format=csv", nurse.bearer)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(sjis)));
        assertEquals(accepted.body(), 202, accepted.statusCode());
        String job = str(accepted.body(), "jobId");
        String ended = jobEnded(nurse, job);
        assertTrue(ended, ended.contains("2 record(s) imported"));
        String page = https.send(bearer("/api/v1/records?subject=E-21", nurse.bearer).GET()).body();
        assertTrue(page, page.contains("経過観察"));

        byte[] bad = "subject,scope,height\nE-23,dept/sales,tall\nE-24,dept/hr,150\n".getBytes(StandardCharsets.UTF_8);
        String job2 = str(https.send(bearer("/api/v1/imports?category=health-checkup&format=csv&charset=utf-8", nurse.bearer)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(bad))).body(), "jobId");
        String ended2 = jobEnded(nurse, job2);
        assertTrue(ended2, ended2.contains("2 of 2 rows rejected"));
        HttpResponse<byte[]> report = https.sendForBytes(bearer("/api/v1/jobs/" + job2 + "/artifacts/rejected.csv", nurse.bearer).GET());
        assertEquals(200, report.statusCode());
        String text = new String(report.body(), StandardCharsets.UTF_8);
        assertTrue(text, text.startsWith("\uFEFFline,column,message") && text.contains("\r\n2,height,") && text.contains("\r\n3,,"));
        assertFalse(https.send(bearer("/api/v1/records?subject=E-23", nurse.bearer).GET()).body().contains("E-23"));
        assertProblem(https.send(bearer("/api/v1/imports?category=health-checkup&format=xlsx", nurse.bearer)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("x"))), 400, "invalid-import");
    }

    /**
     * TEN-1, SEC-11 (issue #17): every operation with path parameters in the API's own OpenAPI document,
     * each parameter filled with every identifier of tenant A the test made (a user, records live and
     * trashed, an attachment, a category only A has, A's import job and its report, A's id and slug),
     * called with tenant B's admin session and with B's nurse holding records:* in B: never 2xx, and
     * byte for byte the answer for identifiers that never existed; A's data unchanged afterwards.
     */
    @Test
    public void rec5_crossTenantMatrixFromTheOpenApiDocument() throws Exception {
        Tenant ta = newTenant("mxa");
        Tenant tb = newTenant("mxb");
        Account adminA = bootstrapAdmin(ta);
        Account adminB = bootstrapAdmin(tb);
        String category = "a-only-" + shortId().toLowerCase(java.util.Locale.ROOT);
        defineCategory(adminA, category);
        defineCategory(adminB, "health-checkup");
        Account a = createEmployee(adminA, "nurse");
        Account b = createEmployee(adminB, "nurse");
        grant(adminA, a, "records:*");
        grant(adminB, b, "records:*");
        String record = str(create(a, category, "E-1", "{\"height\":150}").body(), "id");
        String trashed = str(create(a, category, "E-2", "{\"height\":151}").body(), "id");
        assertEquals(200, https.send(bearer("/api/v1/records/" + trashed, a.bearer).header("If-Match", "\"1\"").DELETE()).statusCode());
        String attachment = str(https.send(bearer("/api/v1/records/" + record + "/attachments?name=a.txt", a.bearer)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("secret of A"))).body(), "id");
        String job = str(https.send(bearer("/api/v1/imports?category=" + category + "&format=csv", a.bearer).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("subject,height\nE-3,x\n"))).body(), "jobId");
        jobEnded(a, job);
        String export = str(https.send(jsonBody(bearer("/api/v1/exports", adminA.bearer)).POST(HttpRequest.BodyPublishers.ofString("{}")))
                .body(), "jobId");
        jobEnded(adminA, export);
        // issue #19: an incident that affected A only, and the in-app notice A's admin got of it
        String incident = match(java.util.regex.Pattern.compile("Incident ([0-9a-f-]{36}) opened"), operator("mamori:incident-open "
                + "--title Matrix --summary \"A only\" --tenant " + ta.slug()));
        operator("mamori:incident-notify --message \"Notice for A\" " + incident);
        String notice = Wait.until("A's in-app notice", java.time.Duration.ofSeconds(60), () -> {
            HttpResponse<String> r = https.send(bearer("/api/v1/notices", adminA.bearer).GET());
            return r.statusCode() == 200 ? str(r.body(), "id") : null;
        });
        List<String> foreign = List.of(record, trashed, attachment, a.id, adminA.id, job, ta.id(), ta.slug(), category, "rejected.csv",
                export, "export.zip", incident, notice);
        java.util.Map<String, String> fresh = new java.util.HashMap<>();
        String doc = https.get("/api/v1/openapi.json").body();
        List<List<String>> pairs = List.of(List.of(record, attachment), List.of(trashed, attachment), List.of(job, "rejected.csv"),
                List.of(export, "export.zip"));
        List<OpenApiMatrix.Probe[]> probes = OpenApiMatrix.probes(doc, foreign, pairs,
                id -> fresh.computeIfAbsent(id, RecordContainerTests::sameShape));
        assertTrue("probes: " + probes.size(), probes.size() > 100);
        List<String> secrets = List.of("secret of A", a.login, adminA.login, a.employeeNumber, adminA.name, ta.slug() + "\"", "Notice for A");
        int calls = 0;
        for (Account who : List.of(adminB, b)) {
            for (OpenApiMatrix.Probe[] pair : probes) {
                if (who == b && !pair[0].path().matches("(/api/v1)?/(records|trash|imports|exports|categories|jobs).*")) {
                    continue;
                }
                HttpResponse<String> existing = https.send(paced(probe(pair[0], who.bearer)));
                HttpResponse<String> none = https.send(paced(probe(pair[1], who.bearer)));
                calls += 2;
                int s = existing.statusCode();
                assertTrue(pair[0] + " answered " + s + ": " + existing.body(), s >= 400 && s != 500);
                String normExisting = existing.body();
                String normNone = none.body();
                for (String id : pair[0].ids()) {
                    normExisting = normExisting.replace(java.net.URLEncoder.encode(id, StandardCharsets.UTF_8), "{x}").replace(id, "{x}");
                    normNone = normNone.replace(java.net.URLEncoder.encode(fresh.get(id), StandardCharsets.UTF_8), "{x}")
                            .replace(fresh.get(id), "{x}");
                }
                normExisting = normExisting.replaceAll("\"requestId\":\"[^\"]*\"", "");
                normNone = normNone.replaceAll("\"requestId\":\"[^\"]*\"", "");
                assertEquals(pair[0] + ": the same as for identifiers that never existed", none.statusCode() + normNone, s + normExisting);
                // the request's own path, echoed as the problem's instance, is no leak
                String scrubbed = existing.body().replaceAll("\"instance\"\\s*:\\s*\"[^\"]*\"", "");
                for (String secret : secrets) {
                    assertFalse(pair[0] + " leaks " + secret + ": " + existing.body(), scrubbed.contains(secret));
                }
            }
        }
        // nothing of A changed
        HttpResponse<String> still = https.send(bearer("/api/v1/records/" + record, a.bearer).GET());
        assertEquals(still.body(), "\"1\"", still.headers().firstValue("ETag").orElse(""));
        assertTrue(https.send(bearer("/api/v1/trash", a.bearer).GET()).body().contains(trashed));
        assertEquals(200, https.send(bearer("/api/v1/records/" + record + "/attachments/" + attachment, a.bearer).GET()).statusCode());
        assertEquals(200, https.send(bearer("/api/v1/categories/" + category, a.bearer).GET()).statusCode());
        assertTrue(calls > 200);
    }

    /**
     * An identifier of the same shape that nobody has: letters stay letters (hex ones hex), digits stay
     * digits, so that every check of its form answers alike and only existence could tell them apart.
     */
    static String sameShape(String id) {
        if (id.equals("rejected.csv")) {
            return id;
        }
        StringBuilder b = new StringBuilder();
        for (char c : id.toCharArray()) {
            if (c >= '0' && c <= '9') {
                b.append((char) ('0' + (c - '0' + 3) % 10));
            } else if (c >= 'a' && c <= 'f' && id.matches("[0-9a-f-]{36}")) {
                b.append((char) ('a' + (c - 'a' + 2) % 6));
            } else if (c >= 'a' && c <= 'z') {
                b.append((char) ('a' + (c - 'a' + 7) % 26));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private long lastRequest;

    /**
     * Keeps the matrix under the server's per-address flood limit (50 requests a second), which it must
     * not trip: a 429 for one of a pair would be a difference that says nothing about tenants.
     */
    private HttpRequest.Builder paced(HttpRequest.Builder request) {
        long wait = lastRequest + 25_000_000L - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        lastRequest = System.nanoTime();
        return request;
    }

    private HttpRequest.Builder probe(OpenApiMatrix.Probe p, String token) {
        String path = p.path().startsWith("/api/v1") ? p.path() : "/api/v1" + p.path();
        HttpRequest.Builder b = bearer(path, token).header("If-Match", "\"1\"");
        switch (p.method()) {
            case "GET":
                return b.GET();
            case "DELETE":
                return b.DELETE();
            default:
                return b.header("Content-Type", "application/json").method(p.method(), HttpRequest.BodyPublishers.ofString("{}"));
        }
    }
}

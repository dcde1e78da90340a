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
        assertProblem(https.send(bearer("/api/v1/records/counts/" + ta.id(), adminB.bearer).GET()), 404, "no-such-record");
        assertProblem(https.send(bearer("/api/v1/categories/health-checkup", a.bearer).DELETE()), 403,
                "records-forbidden");
        // A's record is untouched
        HttpResponse<String> still = https.send(bearer("/api/v1/records/" + id, a.bearer).GET());
        assertEquals(still.body(), "\"1\"", still.headers().firstValue("ETag").orElse(""));
        assertEquals(200, https.send(bearer("/api/v1/trash/" + trashed + "/restore", a.bearer).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode());
    }
}

package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mamori.audit.proof.ExportVerifier;
import dev.mamori.audit.proof.LogVerifier;
import dev.mamori.audit.proof.MerkleTree;
import dev.mamori.audit.proof.SignedNote;
import dev.mamori.tenant.Tenant;

/**
 * The audit log through the distribution (issue #16): the sign-in events land in the tenant's own
 * log with the client's address and a +09:00 time; a tenant admin reads, proves and exports it over
 * REST, and the export verifies offline; another tenant's admin and an employee get nothing; an
 * operator reads it only with a reason, recorded in it; an unwritable audit store refuses actions
 * and service comes back by itself.
 */
public abstract class AuditContainerTests extends JobContainerTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals(r.body(), 200, r.statusCode());
        return JSON.readTree(r.body());
    }

    @Test
    public void aud1_signInsAreInTheTenantsLogWithTheClientAddress() throws Exception {
        Tenant t = newTenant("audit");
        Account admin = bootstrapAdmin(t);
        assertProblem(login(t.slug(), admin.login, "Wrong-" + shortId(), null, "bearer"), 401, "invalid-credentials");
        JsonNode page = json(https.send(bearer("/api/v1/audit/events?action=auth.&limit=1000", admin.bearer).GET()));
        List<JsonNode> failed = new ArrayList<>();
        page.get("entries").forEach(e -> {
            if ("auth.sign-in.failed".equals(e.get("action").asText())) {
                failed.add(e);
            }
        });
        assertFalse(page.toString(), failed.isEmpty());
        JsonNode f = failed.get(failed.size() - 1);
        assertEquals("127.0.0.1", f.get("clientIp").asText());
        assertEquals(t.id(), f.get("tenant").asText());
        assertTrue(f.get("time").asText(), f.get("time").asText().endsWith("+09:00"));
        assertFalse("no personal data: the log names accounts by id", page.toString().contains(admin.login));
        assertTrue(page.toString(), page.toString().contains("auth.sign-in.succeeded"));
    }

    @Test
    public void aud3_checkpointProofsAndAnExportThatVerifiesOffline() throws Exception {
        Tenant t = newTenant("auditp");
        Account admin = bootstrapAdmin(t);
        createEmployee(admin, "emp");
        JsonNode cp = json(https.send(bearer("/api/v1/audit/checkpoint", admin.bearer).GET()));
        long size = cp.get("size").asLong();
        assertTrue(cp.toString(), size >= 3);
        List<String> keys = new ArrayList<>();
        cp.get("verifierKeys").forEach(k -> keys.add(k.asText()));
        String text = SignedNote.open(cp.get("note").asText(), keys.get(0)).orElseThrow(() -> new AssertionError(cp.toString()));
        assertTrue(text, text.startsWith("mamori.local/audit/" + t.id() + "\n" + size + "\n"));
        byte[] root = Base64.getDecoder().decode(cp.get("root").asText());

        JsonNode inc = json(https.send(bearer("/api/v1/audit/proof/inclusion?index=1&treeSize=" + size, admin.bearer).GET()));
        List<byte[]> path = new ArrayList<>();
        inc.get("path").forEach(h -> path.add(Base64.getDecoder().decode(h.asText())));
        assertTrue(inc.toString(), MerkleTree.verifyInclusion(1, size, Base64.getDecoder().decode(inc.get("leafHash").asText()), path, root));
        assertProblem(https.send(bearer("/api/v1/audit/proof/inclusion?index=" + (size + 5) + "&treeSize=" + size, admin.bearer).GET()),
                400, "audit-out-of-range");
        assertProblem(https.send(bearer("/api/v1/audit/proof/inclusion?index=x&treeSize=1", admin.bearer).GET()), 400, "invalid");

        HttpResponse<String> export = https.send(bearer("/api/v1/audit/export", admin.bearer).GET());
        assertEquals(export.body(), 200, export.statusCode());
        LogVerifier.Result offline = ExportVerifier.verify(new StringReader(export.body()), keys, List.of(cp.get("note").asText()));
        assertTrue(offline.message(), offline.ok());

        JsonNode verified = json(https.send(bearer("/api/v1/audit/verify", admin.bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(Map.of("checkpoints", List.of(cp.get("note").asText())))))));
        assertTrue(verified.toString(), verified.get("ok").asBoolean());
    }

    @Test
    public void aud4_onlyTheTenantsAdminsAndOperatorsWithAReason() throws Exception {
        Tenant a = newTenant("audita");
        Tenant b = newTenant("auditb");
        Account adminA = bootstrapAdmin(a);
        Account adminB = bootstrapAdmin(b);
        Account employee = createEmployee(adminA, "emp");
        assertProblem(https.send(bearer("/api/v1/audit/events?log=" + a.id(), adminB.bearer).GET()), 404, "audit-log-not-found");
        assertProblem(https.send(bearer("/api/v1/audit/export?log=" + a.id(), adminB.bearer).GET()), 404, "audit-log-not-found");
        assertProblem(https.send(bearer("/api/v1/audit/events", employee.bearer).GET()), 403, "forbidden");
        assertProblem(https.send(request("/api/v1/audit/events").GET()), 401, "unauthenticated");
        // the operator: the platform's log freely, a tenant's only with a reason, which lands in that tenant's log
        assertTrue(operator("mamori:audit-tail -n 5"), operator("mamori:audit-tail -n 5").contains("Action"));
        assertTrue(operatorError("mamori:audit-tail --tenant " + a.id()).contains("reason"));
        String reason = "TICKET-" + shortId();
        operator("mamori:audit-tail --tenant " + a.id() + " --reason " + reason);
        JsonNode page = json(https.send(bearer("/api/v1/audit/events?action=audit.log.read", adminA.bearer).GET()));
        assertTrue(page.toString(), page.toString().contains(reason));
        String verify = operator("mamori:audit-verify --tenant " + a.id() + " --reason " + reason);
        assertTrue(verify, verify.startsWith("OK " + a.id()));
    }

    @Test
    public void aud3_anUnwritableAuditStoreRefusesActionsAndServiceComesBack() throws Exception {
        Tenant t = newTenant("auditdown");
        Account admin = bootstrapAdmin(t);
        try (Connection c = dataSource("mamori").getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE mamori_audit_pending RENAME TO mamori_audit_pending_off");
        }
        Account refused = newAccount(t, "refused");
        try {
            HttpResponse<String> r = https.send(bearer("/api/v1/users", admin.bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(newUserJson(refused.login, refused.employeeNumber, "employee",
                            refused.name, refused.email, refused.password))));
            assertEquals(r.body(), 503, r.statusCode());
            assertTrue(r.body(), r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        } finally {
            try (Connection c = dataSource("mamori").getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE mamori_audit_pending_off RENAME TO mamori_audit_pending");
            }
        }
        assertProblem(login(t.slug(), refused.login, refused.password, null, "bearer"), 401, "invalid-credentials");
        // the same action, once the store is back, without any restart
        HttpResponse<String> again = https.send(bearer("/api/v1/users", admin.bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(newUserJson(refused.login, refused.employeeNumber, "employee", refused.name,
                        refused.email, refused.password))));
        assertEquals(again.body(), 201, again.statusCode());
    }
}

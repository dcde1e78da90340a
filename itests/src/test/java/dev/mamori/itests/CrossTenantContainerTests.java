package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * Tenant isolation over every auth endpoint (issue #8): another tenant's session gets nothing and
 * learns nothing, not even whether an id exists.
 */
public abstract class CrossTenantContainerTests extends UserContainerTests {
    /**
     * TEN-1, SEC-11: with a valid AUTHENTICATED admin session of tenant B, every endpoint called with
     * tenant A's account ids answers 401/403/404 and nothing of A; the answer for A's existing id is the
     * answer for a random id that never existed (no existence leak). List endpoints show only B. A's
     * accounts are unchanged afterwards; A's reset token and credentials do not work in B.
     */
    @Test
    public void ten1_crossTenantMatrix_anotherTenantsSessionGetsNothingAndLearnsNothing() throws Exception {
        Tenant ta = newTenant("xa");
        Tenant tb = newTenant("xb");
        Account a = bootstrapAdmin(ta);
        Account ae = createEmployee(a, "emp");
        Account b = bootstrapAdmin(tb);
        // A's distinctive allow-list (127.0.0.1 and ::1 keep A's admin in)
        assertEquals(200, https.send(bearer("/api/v1/ip-allowlist", a.bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"ranges\":[\"127.0.0.1\",\"::1\",\"192.0.2.77/32\"]}"))).statusCode());
        String aResetToken = str(https.send(bearer("/api/v1/users/" + ae.id + "/password-reset", a.bearer)
                .POST(HttpRequest.BodyPublishers.noBody())).body(), "token");
        assertNotNull(aResetToken);
        List<String> secrets = new ArrayList<>(a.personal());
        secrets.addAll(ae.personal());
        secrets.addAll(List.of(ta.id(), ta.slug(), "192.0.2.77", aResetToken));

        String profile = "{\"loginName\":\"x" + shortId() + "\",\"profile\":{\"fullName\":\"Taken Over\",\"email\":\"t@example.com\"}}";
        for (String target : List.of(ae.id, a.id)) {
            String random = UUID.randomUUID().toString();
            for (Call call : idCalls(profile)) {
                HttpResponse<String> existing = https.send(call.request(target, b.bearer));
                HttpResponse<String> none = https.send(call.request(random, b.bearer));
                int s = existing.statusCode();
                assertTrue(call + " " + s + " " + existing.body(), s == 401 || s == 403 || s == 404);
                assertEquals(call + ": same status as for an id that never was", none.statusCode(), s);
                assertEquals(call + ": same answer as for an id that never was", normalised(none, random), normalised(existing, target));
                assertNoneOf(secrets, existing.body().replace(target, "{id}"), call.toString());
                assertTrue(call + " answers problem+json", existing.headers().firstValue("Content-Type").orElse("")
                        .startsWith("application/problem+json"));
            }
        }
        // the operators' tenant endpoints: a tenant admin is no operator, whichever tenant it names
        List<Call> tenantCalls = List.of(
                named("GET /tenants/{id}", (id, tok) -> bearer("/api/v1/tenants/" + id, tok).GET()),
                named("POST /tenants/{id}/expire", (id, tok) -> bearer("/api/v1/tenants/" + id + "/expire", tok)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))),
                named("POST /tenants/{id}/delete", (id, tok) -> bearer("/api/v1/tenants/" + id + "/delete", tok)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("confirmation", id)))));
        for (String target : List.of(ta.id(), ta.slug())) {
            String random = target.equals(ta.id()) ? UUID.randomUUID().toString() : "no-such-" + shortId();
            for (Call call : tenantCalls) {
                HttpResponse<String> existing = https.send(call.request(target, b.bearer));
                HttpResponse<String> none = https.send(call.request(random, b.bearer));
                int s = existing.statusCode();
                assertTrue(call + " " + s + " " + existing.body(), s == 401 || s == 403 || s == 404);
                assertEquals(call + ": same answer as for a tenant that never was", normalised(none, random), normalised(existing, target));
                assertNoneOf(secrets, existing.body().replace(target, "{id}"), call.toString());
            }
        }
        HttpResponse<String> tenantList = https.send(bearer("/api/v1/tenants", b.bearer).GET());
        assertEquals(tenantList.body(), 403, tenantList.statusCode());
        assertNoneOf(secrets, tenantList.body(), "GET /tenants");
        assertEquals("A unchanged", ta.state(), tenants.get(ta.id()).state());
        // the list endpoints answer with B's own data only
        for (String path : List.of("/api/v1/users", "/api/v1/ip-allowlist", "/api/v1/me")) {
            HttpResponse<String> r = https.send(bearer(path, b.bearer).GET());
            assertEquals(path + " " + r.body(), 200, r.statusCode());
            assertNoneOf(secrets, r.body(), path);
        }
        assertTrue(https.send(bearer("/api/v1/users", b.bearer).GET()).body().contains(b.id));
        // B's own changes stay in B
        assertEquals(200, https.send(bearer("/api/v1/ip-allowlist", b.bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"ranges\":[]}"))).statusCode());
        HttpResponse<String> created = https.send(bearer("/api/v1/users", b.bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(newUserJson(ae.login, ae.employeeNumber, "employee", null, ae.email,
                        "Other-Person-1"))));
        assertEquals("login, number and e-mail are per tenant: " + created.body(), 201, created.statusCode());

        // A is untouched
        HttpResponse<String> aList = https.send(bearer("/api/v1/ip-allowlist", a.bearer).GET());
        assertTrue(aList.body(), aList.body().contains("192.0.2.77"));
        HttpResponse<String> aEmp = https.send(bearer("/api/v1/users/" + ae.id, a.bearer).GET());
        assertEquals("ACTIVE", str(aEmp.body(), "state"));
        assertEquals(ae.login, str(aEmp.body(), "loginName"));
        assertTrue(aEmp.body(), aEmp.body().replace(" ", "").contains("\"roles\":[\"employee\"]"));
        HttpResponse<String> aProfile = https.send(bearer("/api/v1/users/" + ae.id + "/profile", a.bearer).GET());
        assertEquals(ae.name, str(aProfile.body(), "fullName"));
        HttpResponse<String> aAdmin = https.send(bearer("/api/v1/users/" + a.id, a.bearer).GET());
        assertTrue(aAdmin.body(), aAdmin.body().replace(" ", "").contains("\"mfaEnrolled\":true"));
        assertEquals(200, me(a.bearer, null).statusCode());

        // A's reset token and A's credentials mean nothing in B; the token still works in A
        withAuthConfig("throttle.failures", 1000, () -> {
            assertProblem(resetPassword(tb.slug(), aResetToken, "Another-Pass-42"), 400, "reset-token-invalid");
            assertProblem(login(tb.slug(), a.login, a.password, null, "bearer"), 401, "invalid-credentials");
            assertProblem(login(tb.slug(), a.email, a.password, null, "bearer"), 401, "invalid-credentials");
        });
        assertEquals(204, resetPassword(ta.slug(), aResetToken, "Another-Pass-42").statusCode());
        assertEquals(200, login(ta.slug(), ae.login, "Another-Pass-42", null, "bearer").statusCode());
        // B's session token is no session in A's paths either: the session names its tenant, never the caller
        HttpResponse<String> meB = me(b.bearer, null);
        assertTrue(meB.body(), meB.body().contains(tb.id()) && !meB.body().contains(ta.id()));
    }
}

package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * A tenant's accounts over HTTPS (issue #8): erasure checked on the raw PII database, and the
 * employee/admin boundary on every admin endpoint.
 */
public abstract class UserContainerTests extends AllowListContainerTests {
    /**
     * IAM-5, LEG-3: erasure destroys the person's key in the vault and removes the encrypted profile
     * row from the raw PII database; name and e-mail are nowhere readable (the stored blob no longer
     * decrypts), sign-in by the old e-mail or login fails, and the account still resolves - ERASED,
     * with a pseudonymous login name.
     */
    @Test
    public void iam5_erasure_nameAndEmailUnreadableInTheRawPiiDatabase_accountStillResolvable() throws Exception {
        Tenant t = newTenant("erase");
        Account admin = bootstrapAdmin(t);
        Account p = createEmployee(admin, "person");
        // sign-in by e-mail works through the blind index
        assertEquals(200, login(t.slug(), p.email.toUpperCase(java.util.Locale.ROOT), p.password, null, "bearer").statusCode());
        HttpResponse<String> profile = https.send(bearer("/api/v1/users/" + p.id + "/profile", admin.bearer).GET());
        assertEquals(profile.body(), p.name, str(profile.body(), "fullName"));

        String blob;
        try (java.sql.Connection c = dataSource("mamori-pii").getConnection();
                java.sql.PreparedStatement st = c.prepareStatement("SELECT tenant_id, data FROM mamori_auth_profile WHERE user_id = ?")) {
            st.setString(1, p.id);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                assertTrue("the profile row", rs.next());
                assertEquals(t.id(), rs.getString(1));
                blob = rs.getString(2);
            }
        }
        String decoded = new String(Base64.getDecoder().decode(blob), StandardCharsets.ISO_8859_1);
        for (String clear : List.of(p.name, p.email, "Osaka")) {
            assertFalse("stored encrypted", blob.contains(clear) || decoded.contains(clear));
        }
        assertFalse("no e-mail in the main database", mainDatabaseRow(p.id).contains(p.email));

        HttpResponse<String> unconfirmed = https.send(bearer("/api/v1/users/" + p.id + "/erase", admin.bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("confirmation", admin.id))));
        assertEquals(unconfirmed.body(), 400, unconfirmed.statusCode());
        HttpResponse<String> erased = https.send(bearer("/api/v1/users/" + p.id + "/erase", admin.bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("confirmation", p.id))));
        assertEquals(erased.body(), 200, erased.statusCode());
        assertEquals("ERASED", str(erased.body(), "state"));

        // the raw PII database: the row is gone, nothing of the person left in the table
        try (java.sql.Connection c = dataSource("mamori-pii").getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT user_id, data FROM mamori_auth_profile")) {
            while (rs.next()) {
                assertNotEquals("the erased person's row", p.id, rs.getString(1));
                assertNotEquals(blob, rs.getString(2));
            }
        }
        // the person's key is destroyed: the blob as it was stored no longer decrypts
        byte[] aad = ("mamori.auth.profile|" + t.id() + "|" + p.id).getBytes(StandardCharsets.UTF_8);
        try {
            context.callAs(t.id(), () -> vault.decryptPersonal(t.id(), p.id, Base64.getDecoder().decode(blob), aad));
            fail("an erased person's profile decrypted");
        } catch (dev.mamori.vault.KeyDestroyedException expected) {
        }
        String row = mainDatabaseRow(p.id);
        for (String clear : List.of(p.name, p.email, p.login, p.employeeNumber)) {
            assertFalse(clear + " in " + row, row.contains(clear));
        }

        withAuthConfig("throttle.failures", 1000, () -> {
            assertProblem(login(t.slug(), p.email, p.password, null, "bearer"), 401, "invalid-credentials");
            assertProblem(login(t.slug(), p.login, p.password, null, "bearer"), 401, "invalid-credentials");
        });
        assertProblem(me(p.bearer, null), 401, "session-invalid");

        HttpResponse<String> still = https.send(bearer("/api/v1/users/" + p.id, admin.bearer).GET());
        assertEquals(still.body(), 200, still.statusCode());
        assertEquals("ERASED", str(still.body(), "state"));
        String pseudonym = str(still.body(), "loginName");
        assertTrue(pseudonym, pseudonym.startsWith("erased-") && !pseudonym.equals(p.login));
        assertFalse(still.body(), still.body().contains("employeeNumber\" : \"" + p.employeeNumber));
        assertProblem(https.send(bearer("/api/v1/users/" + p.id + "/profile", admin.bearer).GET()), 404, "user-not-found");
        HttpResponse<String> list = https.send(bearer("/api/v1/users", admin.bearer).GET());
        assertTrue(list.body(), list.body().contains(pseudonym));
        for (String clear : List.of(p.name, p.email, p.login)) {
            assertFalse(list.body(), list.body().contains(clear));
        }
        HttpResponse<String> again = https.send(bearer("/api/v1/users/" + p.id + "/erase", admin.bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("confirmation", p.id))));
        assertEquals(again.body(), 409, again.statusCode());
    }

    /**
     * IAM-1, IAM-2, SEC-11: an AUTHENTICATED employee of the same tenant gets 403 on every admin
     * endpoint - for another account's id and for its own - and nothing changes.
     */
    @Test
    public void sec11_employeeGets403OnEveryAdminEndpoint() throws Exception {
        Tenant t = newTenant("emp403");
        Account admin = bootstrapAdmin(t);
        Account e = createEmployee(admin, "emp");
        String profile = "{\"profile\":{\"fullName\":\"Taken Over\",\"email\":\"t@example.com\"}}";
        for (String target : List.of(admin.id, e.id)) {
            for (Call call : idCalls(profile)) {
                HttpResponse<String> r = https.send(call.request(target, e.bearer));
                assertEquals(call + " on " + (target.equals(e.id) ? "itself" : "the admin") + ": " + r.body(), 403, r.statusCode());
                assertFalse(r.body(), r.body().contains(admin.email) || r.body().contains(admin.name));
            }
        }
        List<HttpRequest.Builder> others = List.of(
                bearer("/api/v1/users", e.bearer).GET(),
                bearer("/api/v1/users", e.bearer).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        newUserJson("new" + shortId(), "N" + shortId(), "tenant-admin", "New Admin", null, "Very-Long-Pass-42"))),
                bearer("/api/v1/ip-allowlist", e.bearer).GET(),
                bearer("/api/v1/tenants", e.bearer).GET(),
                bearer("/api/v1/tenants/" + t.id(), e.bearer).GET(),
                bearer("/api/v1/tenants/" + t.id() + "/expire", e.bearer).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")),
                bearer("/api/v1/ip-allowlist", e.bearer).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"ranges\":[\"127.0.0.1\"]}")));
        for (HttpRequest.Builder r : others) {
            HttpResponse<String> answer = https.send(r);
            assertEquals(answer.request().method() + " " + answer.uri() + ": " + answer.body(), 403, answer.statusCode());
        }
        // nothing changed: the admin is active with its roles, the employee still an employee, no list, no new account
        HttpResponse<String> list = https.send(bearer("/api/v1/users", admin.bearer).GET());
        assertEquals(list.body(), 2, count(list.body(), "\"id\""));
        HttpResponse<String> adminNow = https.send(bearer("/api/v1/users/" + admin.id, admin.bearer).GET());
        assertEquals("ACTIVE", str(adminNow.body(), "state"));
        assertTrue(adminNow.body(), adminNow.body().replace(" ", "").contains("\"roles\":[\"tenant-admin\"]"));
        HttpResponse<String> empNow = https.send(bearer("/api/v1/users/" + e.id, admin.bearer).GET());
        assertTrue(empNow.body(), empNow.body().replace(" ", "").contains("\"roles\":[\"employee\"]"));
        assertTrue(https.send(bearer("/api/v1/ip-allowlist", admin.bearer).GET()).body().replace(" ", "").contains("\"ranges\":[]"));
        // the employee may read itself
        HttpResponse<String> me = me(e.bearer, null);
        assertEquals(me.body(), 200, me.statusCode());
        assertEquals(e.name, str(me.body(), "fullName"));
    }
}

package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * Sessions over HTTPS (issue #8): the exact session cookie and its opaque value, sign-out, and the
 * CSRF token that guards cookie-authenticated changes (bearer requests exempt).
 */
public abstract class SessionContainerTests extends SignInContainerTests {
    /**
     * IAM-13, SEC-4: the session cookie is exactly {@code __Host-mamori-session=<token>; Path=/;
     * Secure; HttpOnly; SameSite=Strict} - no Domain, no lifetime beyond the browser - and its value is
     * an opaque 256-bit token (43 base64url characters) carrying nothing of the person or tenant.
     * Sign-out removes it and ends the session.
     */
    @Test
    public void sec4_sessionCookieFlagsAreExact_andTheValueIsOpaque() throws Exception {
        Tenant t = newTenant("cookie");
        Account a = bootstrapAdmin(t);
        HttpResponse<String> r = login(t.slug(), a.login, a.password, nextCode(a), "cookie");
        assertEquals(r.body(), "AUTHENTICATED", str(r.body(), "state"));
        assertFalse("no token in the body in cookie mode: " + r.body(), r.body().contains("\"token\""));
        List<String> setCookies = r.headers().allValues("Set-Cookie");
        assertEquals(setCookies.toString(), 1, setCookies.size());
        String header = setCookies.get(0);
        String[] parts = header.split(";");
        String[] nameValue = parts[0].split("=", 2);
        assertEquals(COOKIE, nameValue[0].strip());
        String value = nameValue[1].strip();
        assertTrue(value, value.matches("[A-Za-z0-9_-]{43}"));
        Set<String> attributes = new LinkedHashSet<>();
        for (int i = 1; i < parts.length; i++) {
            attributes.add(parts[i].strip());
        }
        assertEquals(header, Set.of("Path=/", "Secure", "HttpOnly", "SameSite=Strict"), attributes);
        assertFalse(header, header.toLowerCase(java.util.Locale.ROOT).contains("domain"));
        for (String personal : List.of(a.login, a.email, a.name, a.id, a.employeeNumber, t.slug(), t.id(), a.password)) {
            assertFalse(personal + " in " + header, header.contains(personal));
        }
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(200, https.send(request("/api/v1/me").header("Cookie", COOKIE + "=" + value).GET()).statusCode());

        HttpResponse<String> out = https.send(request("/api/v1/auth/logout").header("Cookie", COOKIE + "=" + value)
                .header("X-CSRF-Token", str(r.body(), "csrfToken")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(out.body(), 204, out.statusCode());
        String removal = out.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(removal, removal.startsWith(COOKIE + "=;") && removal.contains("Max-Age=0") && removal.contains("Secure")
                && removal.contains("HttpOnly") && removal.contains("SameSite=Strict") && removal.contains("Path=/"));
        assertProblem(https.send(request("/api/v1/me").header("Cookie", COOKIE + "=" + value).GET()), 401, "session-invalid");
    }

    /**
     * SEC-6: a state change authenticated by the cookie needs the session's CSRF token in
     * X-CSRF-Token: none or a wrong one (even another session's) is 403 csrf-rejected and changes
     * nothing; the right one passes. Reads need none, and Bearer requests are exempt.
     */
    @Test
    public void sec6_csrfTokenGuardsCookieAuthenticatedChanges_bearerExempt() throws Exception {
        Tenant t = newTenant("csrf");
        Account a = bootstrapAdmin(t);
        HttpResponse<String> r = login(t.slug(), a.login, a.password, nextCode(a), "cookie");
        String cookie = sessionCookie(r);
        String csrf = str(r.body(), "csrfToken");
        assertNotNull(csrf);
        assertFalse("the CSRF token is not the session token", csrf.equals(cookie));
        String range = "{\"ranges\":[\"127.0.0.1/32\",\"::1/128\",\"192.0.2.7\"]}";
        for (String token : new String[] {null, "", "wrong-" + csrf, csrf.substring(1), a.csrf}) {
            HttpRequest.Builder put = request("/api/v1/ip-allowlist").header("Cookie", COOKIE + "=" + cookie)
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(range));
            if (token != null) {
                put.header("X-CSRF-Token", token);
            }
            assertProblem(https.send(put), 403, "csrf-rejected");
            HttpRequest.Builder post = request("/api/v1/users/" + a.id + "/unlock").header("Cookie", COOKIE + "=" + cookie)
                    .POST(HttpRequest.BodyPublishers.noBody());
            if (token != null) {
                post.header("X-CSRF-Token", token);
            }
            assertProblem(https.send(post), 403, "csrf-rejected");
        }
        // nothing changed
        HttpResponse<String> list = https.send(request("/api/v1/ip-allowlist").header("Cookie", COOKIE + "=" + cookie).GET());
        assertEquals(list.body(), 200, list.statusCode());
        assertFalse(list.body(), list.body().contains("192.0.2.7"));
        // the right token
        HttpResponse<String> ok = https.send(request("/api/v1/ip-allowlist").header("Cookie", COOKIE + "=" + cookie)
                .header("X-CSRF-Token", csrf).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(range)));
        assertEquals(ok.body(), 200, ok.statusCode());
        assertTrue(ok.body(), ok.body().contains("192.0.2.7"));
        assertEquals(200, https.send(request("/api/v1/users/" + a.id + "/unlock").header("Cookie", COOKIE + "=" + cookie)
                .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        // Bearer: no CSRF token needed (a browser never sends it by itself)
        HttpResponse<String> viaBearer = https.send(bearer("/api/v1/ip-allowlist", a.bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"ranges\":[]}")));
        assertEquals(viaBearer.body(), 200, viaBearer.statusCode());
        assertEquals(200, https.send(bearer("/api/v1/users/" + a.id + "/unlock", a.bearer).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode());

        // issue #14 F6: a browser that still holds a session cookie - signed in, or pending its second
        // factor - signs in again without a CSRF token (the cookie carries no authority there)
        HttpResponse<String> again = login(t.slug(), a.login, a.password, nextCode(a), "cookie", "Cookie", COOKIE + "=" + cookie);
        assertEquals(again.body(), 200, again.statusCode());
        HttpResponse<String> pending = login(t.slug(), a.login, a.password, null, "cookie");
        assertTrue(pending.body(), pending.body().contains("\"state\":\"MFA_REQUIRED\""));
        HttpResponse<String> afterPending = login(t.slug(), a.login, a.password, nextCode(a), "cookie",
                "Cookie", COOKIE + "=" + sessionCookie(pending));
        assertEquals(afterPending.body(), 200, afterPending.statusCode());
        assertTrue(afterPending.body(), afterPending.body().contains("\"state\":\"AUTHENTICATED\""));
    }
}

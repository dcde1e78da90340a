package dev.mamori.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.osgi.framework.ServiceRegistration;

import dev.mamori.auth.AuthEvents;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.MamoriEventListener;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;

/**
 * Identities, sign-in and MFA (issue #8) end to end over HTTPS against the running server: a tenant
 * admin bootstrapped through the shell, TOTP computed here as an authenticator app would, sessions by
 * cookie and bearer token, CSRF, lockout, enumeration, throttling, IP allow-lists behind trusted and
 * untrusted proxies, erasure on the raw PII database, tenant isolation over every endpoint, the
 * employee/admin boundary and the sign-in events. Each test makes its own tenants and accounts.
 */
public abstract class AuthContainerTests extends RestContainerTests {
    static final String AUTH_PID = "dev.mamori.auth";
    static final String COOKIE = "__Host-mamori-session";
    private static final Pattern CREATED = Pattern.compile("Created account \\S+ \\(([0-9a-f-]{36})\\)");
    private static final Pattern RESET = Pattern.compile("Reset token \\(works once, expires soon\\): (\\S+)");

    /** An account the test signed in, with what a person (or an authenticator app) would know of it. */
    static final class Account {
        Tenant tenant;
        String id;
        String login;
        String employeeNumber;
        String name;
        String email;
        String password;
        byte[] secret;
        long lastStep;
        /** An AUTHENTICATED bearer token. */
        String bearer;
        /** That session's CSRF token. */
        String csrf;

        List<String> personal() {
            List<String> out = new ArrayList<>(List.of(id, login, employeeNumber));
            if (name != null) {
                out.add(name);
            }
            if (email != null) {
                out.add(email);
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ tests

    /**
     * IAM-1, IAM-6, IAM-10, IAM-11, IAM-14: an operator creates a tenant's first admin in the shell
     * (no password, a reset token instead); the person sets a password with the token (once), signs
     * in, can do nothing but enrol TOTP, enrols with a code computed here from the base32 secret
     * (otpauth URI and QR PNG), and is AUTHENTICATED with 10 recovery codes. Later sign-ins need a
     * code, each accepted once; a recovery code works once.
     */
    @Test
    public void iam10_tenantAdminBootstrap_resetToken_password_totpEnrolment() throws Exception {
        // the helper below computes RFC 6238's own test vector (SHA-1, T=59 s)
        assertEquals("94287082", TotpCodes.code("12345678901234567890".getBytes(StandardCharsets.US_ASCII), 59 / 30, 8));
        assertEquals("07081804", TotpCodes.code("12345678901234567890".getBytes(StandardCharsets.US_ASCII), 1111111109L / 30, 8));

        Tenant t = newTenant("boot");
        Account a = newAccount(t, "adm");
        String out = operator("mamori:user-create --name \"" + a.name + "\" --email " + a.email + " " + t.slug() + " " + a.login
                + " " + a.employeeNumber);
        a.id = match(CREATED, out);
        String token = match(RESET, out);
        assertFalse(out, out.contains(a.email));
        // no password yet: sign-in fails like any other failure
        assertProblem(login(t.slug(), a.login, "Anything-1234", null, "bearer"), 401, "invalid-credentials");
        assertEquals(204, resetPassword(t.slug(), token, a.password).statusCode());
        assertProblem(resetPassword(t.slug(), token, a.password + "x"), 400, "reset-token-invalid");

        HttpResponse<String> first = login(t.slug(), a.login, a.password, null, "cookie");
        assertEquals(first.body(), 200, first.statusCode());
        assertEquals("MFA_ENROLMENT_REQUIRED", str(first.body(), "state"));
        String cookie = sessionCookie(first);
        String csrf = str(first.body(), "csrfToken");
        // until enrolled: nothing but enrolling
        assertProblem(https.send(request("/api/v1/me").header("Cookie", COOKIE + "=" + cookie).GET()), 403, "mfa-required");
        assertProblem(https.send(request("/api/v1/users").header("Cookie", COOKIE + "=" + cookie).GET()), 403, "mfa-required");

        HttpResponse<String> enrol = https.send(request("/api/v1/auth/mfa/enroll").header("Cookie", COOKIE + "=" + cookie)
                .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(enrol.body(), 200, enrol.statusCode());
        String secret = str(enrol.body(), "secret");
        assertTrue(str(enrol.body(), "uri"), str(enrol.body(), "uri").startsWith("otpauth://totp/")
                && str(enrol.body(), "uri").contains("secret=" + secret));
        byte[] png = Base64.getDecoder().decode(str(enrol.body(), "qrPng"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        a.secret = TotpCodes.base32(secret);
        assertTrue("an 160-bit secret at least", a.secret.length >= 20);

        HttpResponse<String> wrong = https.send(request("/api/v1/auth/mfa/enroll/confirm").header("Cookie", COOKIE + "=" + cookie)
                .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("code", wrongCode(a)))));
        assertProblem(wrong, 400, "mfa-code-rejected");
        HttpResponse<String> confirmed = https.send(request("/api/v1/auth/mfa/enroll/confirm").header("Cookie", COOKIE + "=" + cookie)
                .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("code", nextCode(a)))));
        assertEquals(confirmed.body(), 200, confirmed.statusCode());
        assertEquals("AUTHENTICATED", str(confirmed.body(), "state"));
        List<String> recovery = strings(confirmed.body(), "recoveryCodes");
        assertEquals(recovery.toString(), 10, new LinkedHashSet<>(recovery).size());
        String fresh = sessionCookie(confirmed);
        assertNotEquals("a new token at step-up", cookie, fresh);
        assertProblem(https.send(request("/api/v1/me").header("Cookie", COOKIE + "=" + cookie).GET()), 401, "session-invalid");
        HttpResponse<String> me = https.send(request("/api/v1/me").header("Cookie", COOKIE + "=" + fresh).GET());
        assertEquals(me.body(), 200, me.statusCode());
        assertEquals(a.login, str(me.body(), "loginName"));
        assertEquals(a.email, str(me.body(), "email"));
        assertTrue(me.body(), me.body().replace(" ", "").contains("\"mfaEnrolled\":true"));

        // the next sign-in needs the second factor; a code is accepted once only
        HttpResponse<String> pw = login(t.slug(), a.login, a.password, null, "bearer");
        assertEquals("MFA_REQUIRED", str(pw.body(), "state"));
        String partial = str(pw.body(), "token");
        assertProblem(https.send(request("/api/v1/me").header("Authorization", "Bearer " + partial).GET()), 403, "mfa-required");
        String replay = TotpCodes.code(a.secret, a.lastStep);
        assertProblem(verify(partial, replay), 401, "invalid-credentials");
        HttpResponse<String> verified = verify(partial, nextCode(a));
        assertEquals(verified.body(), 200, verified.statusCode());
        assertEquals("AUTHENTICATED", str(verified.body(), "state"));
        assertNotEquals(partial, str(verified.body(), "token"));
        assertEquals(200, https.send(request("/api/v1/me").header("Authorization", "Bearer " + str(verified.body(), "token")).GET())
                .statusCode());

        // a recovery code instead of the second factor, once
        String p2 = str(login(t.slug(), a.login, a.password, null, "bearer").body(), "token");
        HttpResponse<String> recovered = https.send(bearer("/api/v1/auth/recovery", p2).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("code", recovery.get(0)))));
        assertEquals(recovered.body(), 200, recovered.statusCode());
        assertEquals("AUTHENTICATED", str(recovered.body(), "state"));
        String p3 = str(login(t.slug(), a.login, a.password, null, "bearer").body(), "token");
        assertProblem(https.send(bearer("/api/v1/auth/recovery", p3).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("code", recovery.get(0))))), 401, "invalid-credentials");
        // (signing in in one step, with the code in the request, is what sec4_ and sec6_ do)
    }

    /**
     * IAM-6, IAM-14: a new password that breaks the rules (the admin floor: 12 characters) is refused
     * with the rules it breaks - and the single-use reset token is not used up by the refusal, so the
     * person can try again with a better password instead of asking an operator for a new token.
     */
    @Test
    public void iam14_aRejectedPasswordDoesNotUseUpTheResetToken() throws Exception {
        Tenant t = newTenant("reset");
        Account a = newAccount(t, "adm");
        String out = operator("mamori:user-create " + t.slug() + " " + a.login + " " + a.employeeNumber);
        String token = match(RESET, out);
        HttpResponse<String> weak = resetPassword(t.slug(), token, "Short1abcde");
        assertProblem(weak, 400, "password-rejected");
        HttpResponse<String> retry = resetPassword(t.slug(), token, a.password);
        assertEquals("the token survives a refused password: " + retry.body(), 204, retry.statusCode());
        assertProblem(resetPassword(t.slug(), token, a.password + "x"), 400, "reset-token-invalid");
    }

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

    /**
     * IAM-9 (Keycloak BruteForceTest's cases): 5 consecutive wrong passwords lock the account; the
     * 6th attempt, with the right password, gets the very answer of a wrong password and of an unknown
     * user; a success before the limit starts the count again; a tenant admin's unlock restores
     * sign-in.
     */
    @Test
    public void iam9_fiveWrongPasswordsLock_theRightOneThenFailsAlike_adminUnlockRestores() throws Exception {
        Tenant t = newTenant("brute");
        Account admin = bootstrapAdmin(t);
        Account e = createEmployee(admin, "emp");
        withAuthConfig("throttle.failures", 1000, () -> {
            // a success in between resets the counter: 4 + 4 failures do not lock
            for (int i = 0; i < 4; i++) {
                assertProblem(login(t.slug(), e.login, e.password + "x", null, "bearer"), 401, "invalid-credentials");
            }
            assertEquals(200, login(t.slug(), e.login, e.password, null, "bearer").statusCode());
            for (int i = 0; i < 4; i++) {
                assertProblem(login(t.slug(), e.email, "Wrong" + i + "Password", null, "bearer"), 401, "invalid-credentials");
            }
            assertEquals("4 failures after a success do not lock", 200, login(t.slug(), e.login, e.password, null, "bearer").statusCode());

            HttpResponse<String> wrong = null;
            for (int i = 0; i < 5; i++) {
                wrong = login(t.slug(), e.login, e.password + i, null, "bearer");
                assertProblem(wrong, 401, "invalid-credentials");
            }
            HttpResponse<String> locked = login(t.slug(), e.login, e.password, null, "bearer");
            assertProblem(locked, 401, "invalid-credentials");
            HttpResponse<String> unknown = login(t.slug(), "nobody-" + shortId(), e.password, null, "bearer");
            assertProblem(unknown, 401, "invalid-credentials");
            assertEquals(normalised(wrong), normalised(locked));
            assertEquals(normalised(unknown), normalised(locked));
            // by e-mail too, while locked
            assertProblem(login(t.slug(), e.email, e.password, null, "bearer"), 401, "invalid-credentials");

            HttpResponse<String> shown = https.send(bearer("/api/v1/users/" + e.id, admin.bearer).GET());
            assertTrue(shown.body(), shown.body().replace(" ", "").contains("\"locked\":true"));
            HttpResponse<String> unlocked = https.send(bearer("/api/v1/users/" + e.id + "/unlock", admin.bearer)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(unlocked.body(), 200, unlocked.statusCode());
            assertTrue(unlocked.body(), unlocked.body().replace(" ", "").contains("\"locked\":false"));
            HttpResponse<String> back = login(t.slug(), e.login, e.password, null, "bearer");
            assertEquals(back.body(), 200, back.statusCode());
            assertEquals("AUTHENTICATED", str(back.body(), "state"));
        });
    }

    /**
     * IAM-9: no user enumeration - an unknown login, an unknown e-mail, a wrong password, an unknown
     * tenant and a deactivated account all get the same status, type, title and detail.
     */
    @Test
    public void iam9_unknownUserAndWrongPasswordAnswerAlike() throws Exception {
        Tenant t = newTenant("enum");
        Account admin = bootstrapAdmin(t);
        Account e = createEmployee(admin, "emp");
        Account gone = createEmployee(admin, "gone");
        assertEquals(200, https.send(bearer("/api/v1/users/" + gone.id + "/deactivate", admin.bearer)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        withAuthConfig("throttle.failures", 1000, () -> {
            Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
            answers.put("wrong password", login(t.slug(), e.login, e.password + "x", null, "bearer"));
            answers.put("unknown login", login(t.slug(), "nobody-" + shortId(), e.password, null, "bearer"));
            answers.put("unknown e-mail", login(t.slug(), "nobody-" + shortId() + "@example.com", e.password, null, "bearer"));
            answers.put("unknown tenant", login("no-such-" + shortId(), e.login, e.password, null, "bearer"));
            answers.put("deactivated, right password", login(t.slug(), gone.login, gone.password, null, "bearer"));
            String expected = normalised(answers.get("wrong password"));
            answers.forEach((why, r) -> {
                assertProblem(r, 401, "invalid-credentials");
                assertEquals(why, expected, normalised(r));
                assertFalse(why, r.headers().firstValue("Set-Cookie").isPresent());
            });
        });
    }

    /**
     * SEC-12: failures from one address across accounts are throttled - once the configured number is
     * spent, every sign-in from it (even with the right password) is 429 problem+json with
     * Retry-After; with the configuration restored the address may sign in again.
     */
    @Test
    public void sec12_perAddressThrottle_429WithRetryAfter() throws Exception {
        Tenant t = newTenant("spray");
        Account admin = bootstrapAdmin(t);
        Account e = createEmployee(admin, "emp");
        Dictionary<String, Object> before = config(AUTH_PID);
        try {
            update(AUTH_PID, before, "throttle.failures", 3);
            // spraying: one wrong password per account name until the address is throttled
            HttpResponse<String> throttled = Wait.until("429 after 3 failures", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = login(t.slug(), "spray-" + shortId(), "Spray-Password-1", null, "bearer");
                return r.statusCode() == 429 ? r : null;
            });
            assertProblem(throttled, 429, "too-many-attempts");
            long retry = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
            assertTrue("Retry-After " + retry, retry >= 1 && retry <= 301);
            HttpResponse<String> right = login(t.slug(), e.login, e.password, null, "bearer");
            assertProblem(right, 429, "too-many-attempts");
            assertTrue(right.headers().firstValue("Retry-After").isPresent());
        } finally {
            update(AUTH_PID, before, "throttle.failures", null);
        }
        Wait.until("sign-in again with the limit restored", Duration.ofSeconds(30),
                () -> login(t.slug(), e.login, e.password, null, "bearer").statusCode() == 200);
    }

    /**
     * IAM-12: a tenant's IPv4 and IPv6 allow-list, enforced at sign-in and on every request of its
     * accounts. A list without the caller's own address is refused (no self-lock-out), so the clients
     * come through a trusted proxy (127.0.0.1 and ::1 configured in dev.mamori.auth trusted.proxies)
     * with X-Forwarded-For, read from the right. Without that configuration - or with another proxy
     * trusted - the header is ignored and the connection's address counts.
     */
    @Test
    public void iam12_ipAllowList_ipv4AndIpv6_behindTrustedProxy_andUntrustedProxyIgnored() throws Exception {
        Tenant t = newTenant("ipal");
        Account admin = bootstrapAdmin(t);
        Account e = createEmployee(admin, "emp");
        String wanted = "{\"ranges\":[\"203.0.113.0/24\",\"2001:db8::/32\"]}";
        // not behind a trusted proxy: the caller is 127.0.0.1, outside the list - refused, no lock-out
        HttpResponse<String> self = https.send(bearer("/api/v1/ip-allowlist", admin.bearer).header("Content-Type", "application/json")
                .header("X-Forwarded-For", "203.0.113.5").PUT(HttpRequest.BodyPublishers.ofString(wanted)));
        assertProblem(self, 400, "invalid-ip-range");
        assertTrue(self.body(), self.body().contains("127.0.0.1") && self.body().contains("lock you out"));

        List<MamoriEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<MamoriEventListener> listener = bundleContext.registerService(MamoriEventListener.class, events::add, null);
        Dictionary<String, Object> before = config(AUTH_PID);
        try {
            update(AUTH_PID, before, "trusted.proxies", new String[] {"127.0.0.1", "::1"});
            HttpResponse<String> saved = Wait.until("the list saved from 203.0.113.5 behind the trusted proxy", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = https.send(bearer("/api/v1/ip-allowlist", admin.bearer).header("Content-Type", "application/json")
                        .header("X-Forwarded-For", "203.0.113.5").PUT(HttpRequest.BodyPublishers.ofString(wanted)));
                return r.statusCode() == 200 ? r : null;
            });
            assertTrue(saved.body(), saved.body().contains("203.0.113.0/24") && saved.body().contains("2001:db8::/32"));

            // every request of the tenant's accounts
            for (String allowed : List.of("203.0.113.77", "2001:db8::42", "2001:db8:ffff::1", "198.51.100.7, 203.0.113.9")) {
                assertEquals(allowed, 200, me(admin.bearer, allowed).statusCode());
                assertEquals(allowed, 200, me(e.bearer, allowed).statusCode());
            }
            for (String refused : List.of("198.51.100.7", "2001:db9::1", "::ffff:198.51.100.7", "203.0.113.9, 198.51.100.7")) {
                assertProblem(me(admin.bearer, refused), 403, "ip-not-allowed");
                assertProblem(me(e.bearer, refused), 403, "ip-not-allowed");
            }
            // the proxy's own address is outside the list
            assertProblem(me(e.bearer, null), 403, "ip-not-allowed");
            assertTrue(events.toString(), events.stream().anyMatch(ev -> AuthEvents.IP_REFUSED.equals(ev.type())
                    && "198.51.100.7".equals(ev.clientIp().orElse(null)) && e.id.equals(ev.targetId().orElse(null))));

            // and at sign-in, with the answer of every other failure
            withAuthConfig("throttle.failures", 1000, () -> {
                for (String allowed : List.of("203.0.113.20", "2001:db8::20")) {
                    HttpResponse<String> r = login(t.slug(), e.login, e.password, null, "bearer", "X-Forwarded-For", allowed);
                    assertEquals(allowed + " " + r.body(), 200, r.statusCode());
                }
                for (String refused : List.of("198.51.100.20", "2001:db9::20")) {
                    assertProblem(login(t.slug(), e.login, e.password, null, "bearer", "X-Forwarded-For", refused), 401,
                            "invalid-credentials");
                }
            });
            assertTrue(events.toString(), events.stream().anyMatch(ev -> AuthEvents.SIGN_IN_FAILED.equals(ev.type())
                    && "2001:db9::20".equals(ev.clientIp().orElse(null)) && "ip-refused".equals(ev.details().get("reason"))));
            assertTrue(events.toString(), events.stream().anyMatch(ev -> AuthEvents.SIGN_IN_SUCCEEDED.equals(ev.type())
                    && "2001:db8::20".equals(ev.clientIp().orElse(null)) && e.id.equals(ev.targetId().orElse(null))));

            // another proxy trusted, not this one: X-Forwarded-For is the client's word and ignored
            update(AUTH_PID, before, "trusted.proxies", new String[] {"192.0.2.1"});
            Wait.until("X-Forwarded-For ignored from an untrusted proxy", Duration.ofSeconds(30),
                    () -> me(e.bearer, "203.0.113.77").statusCode() == 403);
            assertProblem(me(admin.bearer, "2001:db8::42"), 403, "ip-not-allowed");
            withAuthConfig("throttle.failures", 1000, () -> assertProblem(login(t.slug(), e.login, e.password, null, "bearer",
                    "X-Forwarded-For", "203.0.113.20"), 401, "invalid-credentials"));
        } finally {
            listener.unregister();
            update(AUTH_PID, before, "trusted.proxies", null);
        }
        // no proxy configured at all: the header is ignored as well
        Wait.until("X-Forwarded-For ignored without trusted proxies", Duration.ofSeconds(30),
                () -> me(e.bearer, "203.0.113.77").statusCode() == 403);
        assertProblem(me(admin.bearer, "2001:db8::42"), 403, "ip-not-allowed");
    }

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

    /**
     * AUD-2, OPS-3: every sign-in success and failure is a MamoriEvent with the client's address, the
     * tenant and the account where known, and the reason of a failure for the audit trail only -
     * never the password.
     */
    @Test
    public void aud2_signInSuccessAndFailurePublishEventsWithTheClientIp() throws Exception {
        Tenant t = newTenant("events");
        Account admin = bootstrapAdmin(t);
        Account e = createEmployee(admin, "emp");
        List<MamoriEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<MamoriEventListener> listener = bundleContext.registerService(MamoriEventListener.class, events::add, null);
        String wrongPassword = "Wrong-" + shortId();
        try {
            assertEquals(200, login(t.slug(), e.login, e.password, null, "bearer").statusCode());
            withAuthConfig("throttle.failures", 1000, () -> {
                assertProblem(login(t.slug(), e.login, wrongPassword, null, "bearer"), 401, "invalid-credentials");
                assertProblem(login(t.slug(), "nobody-" + shortId(), wrongPassword, null, "bearer"), 401, "invalid-credentials");
            });
        } finally {
            listener.unregister();
        }
        MamoriEvent ok = events.stream().filter(ev -> AuthEvents.SIGN_IN_SUCCEEDED.equals(ev.type())
                && e.id.equals(ev.targetId().orElse(null))).findFirst().orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals("127.0.0.1", ok.clientIp().orElse(null));
        assertEquals(t.id(), ok.tenantId().orElse(null));
        assertEquals(MamoriEvent.Outcome.SUCCESS, ok.outcome());
        MamoriEvent wrong = events.stream().filter(ev -> AuthEvents.SIGN_IN_FAILED.equals(ev.type())
                && e.id.equals(ev.targetId().orElse(null))).findFirst().orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals("127.0.0.1", wrong.clientIp().orElse(null));
        assertEquals(t.id(), wrong.tenantId().orElse(null));
        assertEquals("wrong-password", wrong.details().get("reason"));
        MamoriEvent unknown = events.stream().filter(ev -> AuthEvents.SIGN_IN_FAILED.equals(ev.type())
                && "unknown-account".equals(ev.details().get("reason")) && t.id().equals(ev.tenantId().orElse(null)))
                .findFirst().orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals("127.0.0.1", unknown.clientIp().orElse(null));
        assertFalse(unknown.targetId().isPresent());
        assertFalse("no password in events", events.toString().contains(wrongPassword) || events.toString().contains(e.password));
    }

    // ------------------------------------------------------------------ the endpoints that take an account id

    /** One request against an account id. */
    interface Call {
        HttpRequest.Builder request(String id, String token);
    }

    private List<Call> idCalls(String changeJson) {
        List<Call> calls = new ArrayList<>();
        calls.add(named("GET /users/{id}", (id, tok) -> bearer("/api/v1/users/" + id, tok).GET()));
        calls.add(named("GET /users/{id}/profile", (id, tok) -> bearer("/api/v1/users/" + id + "/profile", tok).GET()));
        calls.add(named("PUT /users/{id}", (id, tok) -> bearer("/api/v1/users/" + id, tok).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(changeJson))));
        calls.add(named("PUT /users/{id}/roles", (id, tok) -> bearer("/api/v1/users/" + id + "/roles", tok)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"tenant-admin\"]}"))));
        calls.add(named("PUT /users/{id}/permissions", (id, tok) -> bearer("/api/v1/users/" + id + "/permissions", tok)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"permissions\":[\"users:read\",\"users:write\"]}"))));
        for (String action : List.of("deactivate", "reactivate", "unlock", "mfa-reset", "password-reset")) {
            calls.add(named("POST /users/{id}/" + action, (id, tok) -> bearer("/api/v1/users/" + id + "/" + action, tok)
                    .POST(HttpRequest.BodyPublishers.noBody())));
        }
        calls.add(named("POST /users/{id}/erase", (id, tok) -> bearer("/api/v1/users/" + id + "/erase", tok)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("confirmation", id)))));
        return calls;
    }

    private static Call named(String name, Call call) {
        return new Call() {
            @Override
            public HttpRequest.Builder request(String id, String token) {
                return call.request(id, token);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    // ------------------------------------------------------------------ accounts

    Tenant newTenant(String prefix) {
        return tenants.create(NewTenant.builder(prefix + "-" + shortId(), "Auth " + prefix).build());
    }

    private static Account newAccount(Tenant t, String prefix) {
        Account a = new Account();
        a.tenant = t;
        String n = shortId();
        a.login = prefix + n;
        a.employeeNumber = "E-" + n;
        a.name = "Hanako Test " + n;
        a.email = "hanako." + n + "@example.com";
        a.password = "Kq7" + Long.toString(System.nanoTime(), 36) + "Vw9z";
        return a;
    }

    /**
     * A tenant's first admin as an operator makes one: the shell command (no password, a reset
     * token), the person's own password, sign-in, TOTP enrolment; returns an AUTHENTICATED bearer session.
     */
    Account bootstrapAdmin(Tenant t) throws Exception {
        Account a = newAccount(t, "adm");
        String out = operator("mamori:user-create --name \"" + a.name + "\" --email " + a.email + " " + t.slug() + " " + a.login + " "
                + a.employeeNumber);
        a.id = match(CREATED, out);
        HttpResponse<String> reset = resetPassword(t.slug(), match(RESET, out), a.password);
        assertEquals(reset.body(), 204, reset.statusCode());
        HttpResponse<String> first = login(t.slug(), a.login, a.password, null, "bearer");
        assertEquals(first.body(), "MFA_ENROLMENT_REQUIRED", str(first.body(), "state"));
        String partial = str(first.body(), "token");
        HttpResponse<String> enrol = https.send(bearer("/api/v1/auth/mfa/enroll", partial).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(enrol.body(), 200, enrol.statusCode());
        a.secret = TotpCodes.base32(str(enrol.body(), "secret"));
        HttpResponse<String> confirmed = https.send(bearer("/api/v1/auth/mfa/enroll/confirm", partial)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("code", nextCode(a)))));
        assertEquals(confirmed.body(), "AUTHENTICATED", str(confirmed.body(), "state"));
        a.bearer = str(confirmed.body(), "token");
        a.csrf = str(confirmed.body(), "csrfToken");
        assertNotNull(confirmed.body(), a.bearer);
        return a;
    }

    /** An employee (no second factor needed) created by a tenant admin over REST, signed in with a bearer token. */
    Account createEmployee(Account admin, String prefix) throws Exception {
        Account e = newAccount(admin.tenant, prefix);
        HttpResponse<String> created = https.send(bearer("/api/v1/users", admin.bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(newUserJson(e.login, e.employeeNumber, "employee", e.name, e.email, e.password))));
        assertEquals(created.body(), 201, created.statusCode());
        e.id = str(created.body(), "id");
        HttpResponse<String> r = login(admin.tenant.slug(), e.login, e.password, null, "bearer");
        assertEquals(r.body(), "AUTHENTICATED", str(r.body(), "state"));
        e.bearer = str(r.body(), "token");
        return e;
    }

    private static String newUserJson(String login, String employeeNumber, String role, String name, String email, String password) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("fullName", name);
        profile.put("email", email);
        profile.put("location", "Osaka");
        profile.put("timeZone", "Asia/Tokyo");
        profile.put("locale", "ja-JP");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loginName", login);
        m.put("employeeNumber", employeeNumber);
        m.put("roles", List.of(role));
        m.put("profile", profile);
        m.put("password", password);
        return toJson(m);
    }

    /** The next TOTP code this account has not used: a code is accepted once, so within one step the next step's code. */
    static String nextCode(Account a) throws InterruptedException {
        long step = Math.max(TotpCodes.step(Instant.now()), a.lastStep + 1);
        while (step > TotpCodes.step(Instant.now()) + 1) {
            Thread.sleep(250);
        }
        a.lastStep = step;
        return TotpCodes.code(a.secret, step);
    }

    /** A code that matches no step in the window. */
    private static String wrongCode(Account a) {
        long now = TotpCodes.step(Instant.now());
        Set<String> window = Set.of(TotpCodes.code(a.secret, now - 1), TotpCodes.code(a.secret, now), TotpCodes.code(a.secret, now + 1),
                TotpCodes.code(a.secret, now + 2));
        for (int i = 0;; i++) {
            String c = String.format(java.util.Locale.ROOT, "%06d", (123457 + i * 7919) % 1_000_000);
            if (!window.contains(c)) {
                return c;
            }
        }
    }

    // ------------------------------------------------------------------ HTTP

    static HttpResponse<String> login(String tenant, String login, String password, String otp, String mode, String... headers)
            throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("login", login);
        m.put("password", password);
        if (otp != null) {
            m.put("otp", otp);
        }
        m.put("session", mode);
        HttpRequest.Builder r = request("/api/v1/auth/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(m)));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return https.send(r);
    }

    static HttpResponse<String> resetPassword(String tenant, String token, String password) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("token", token);
        m.put("password", password);
        return https.send(request("/api/v1/auth/password-reset").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(m))));
    }

    static HttpResponse<String> verify(String token, String code) throws Exception {
        return https.send(bearer("/api/v1/auth/mfa/verify", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("code", code))));
    }

    static HttpResponse<String> me(String token, String forwardedFor) throws Exception {
        HttpRequest.Builder r = bearer("/api/v1/me", token).GET();
        if (forwardedFor != null) {
            r.header("X-Forwarded-For", forwardedFor);
        }
        return https.send(r);
    }

    static HttpRequest.Builder bearer(String path, String token) {
        return request(path).header("Authorization", "Bearer " + token);
    }

    /** @return the session token of the response's Set-Cookie */
    static String sessionCookie(HttpResponse<String> r) {
        String header = r.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(COOKIE + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + r.headers().map()));
        return header.substring(COOKIE.length() + 1, header.indexOf(';'));
    }

    /** A problem answer without what differs per request (request id) and with the given id masked. */
    static String normalised(HttpResponse<String> r, String... ids) {
        String body = r.body().replaceAll("\"requestId\"\\s*:\\s*\"[^\"]*\"", "\"requestId\":\"-\"");
        for (String id : ids) {
            body = body.replace(id, "{id}");
        }
        return r.statusCode() + " " + r.headers().firstValue("Content-Type").orElse("") + " " + body;
    }

    private static void assertNoneOf(List<String> secrets, String body, String where) {
        for (String s : secrets) {
            assertFalse(where + " revealed '" + s + "': " + body, body.contains(s));
        }
    }

    /** Sets one property of dev.mamori.auth for the work and restores the configuration afterwards. */
    void withAuthConfig(String key, Object value, Work work) throws Exception {
        Dictionary<String, Object> before = config(AUTH_PID);
        update(AUTH_PID, before, key, value);
        try {
            Thread.sleep(500); // Config Admin delivers asynchronously
            work.run();
        } finally {
            update(AUTH_PID, before, key, null);
            Thread.sleep(500);
        }
    }

    /** Test code that may throw. */
    interface Work {
        void run() throws Exception;
    }

    private String mainDatabaseRow(String userId) throws Exception {
        StringBuilder b = new StringBuilder();
        try (java.sql.Connection c = dataSource("mamori").getConnection();
                java.sql.PreparedStatement st = c.prepareStatement("SELECT * FROM mamori_auth_user WHERE id = ?")) {
            st.setString(1, userId);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                assertTrue("the account row", rs.next());
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                }
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ JSON, by hand (no JSON library in the probe)

    static String match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(p + " in " + text, m.find());
        return m.group(1);
    }

    /** @return the first string value of the key, or null */
    static String str(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\/", "/") : null;
    }

    /** @return the string array of the key */
    static List<String> strings(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        List<String> out = new ArrayList<>();
        if (m.find()) {
            Matcher s = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(m.group(1));
            while (s.find()) {
                out.add(s.group(1));
            }
        }
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static String json(String key, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return toJson(m);
    }

    static String toJson(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Map) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                b.append(b.length() > 1 ? "," : "").append(toJson(e.getKey().toString())).append(':').append(toJson(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (o instanceof Collection) {
            StringBuilder b = new StringBuilder("[");
            for (Object v : (Collection<?>) o) {
                b.append(b.length() > 1 ? "," : "").append(toJson(v));
            }
            return b.append(']').toString();
        }
        if (o instanceof Number || o instanceof Boolean) {
            return o.toString();
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : o.toString().toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}

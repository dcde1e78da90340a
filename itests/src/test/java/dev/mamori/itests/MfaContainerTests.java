package dev.mamori.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;

import org.junit.Test;

import dev.mamori.tenant.Tenant;

/**
 * The second factor over HTTPS (issue #8): a tenant admin bootstrapped through the shell sets a
 * password with the reset token, enrols TOTP computed here as an authenticator app would, and signs in
 * with codes (each accepted once) and recovery codes.
 */
public abstract class MfaContainerTests extends SessionContainerTests {
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
}

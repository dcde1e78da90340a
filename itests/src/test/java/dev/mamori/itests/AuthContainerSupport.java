package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;

/**
 * What the auth container tests share (issue #8, split by concern in issue #15): accounts made the way
 * a person and an operator make them - a tenant admin bootstrapped through the shell, TOTP computed here
 * as an authenticator app would, employees created over REST - and HTTPS, JSON and configuration
 * helpers. The tests themselves are in {@link SignInContainerTests}, {@link SessionContainerTests},
 * {@link MfaContainerTests}, {@link AllowListContainerTests}, {@link UserContainerTests} and
 * {@link CrossTenantContainerTests}, one class above the other (a Pax Exam class runs one container,
 * so H2IT and PostgresIT run them all through {@link MamoriContainerTests}). Each test makes its own
 * tenants and accounts.
 */
public abstract class AuthContainerSupport extends RestContainerTests {
    static final String AUTH_PID = "dev.mamori.auth";
    static final String COOKIE = "__Host-mamori-session";
    static final Pattern CREATED = Pattern.compile("Created account \\S+ \\(([0-9a-f-]{36})\\)");
    static final Pattern RESET = Pattern.compile("Reset token \\(works once, expires soon\\): (\\S+)");

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

    // ------------------------------------------------------------------ the endpoints that take an account id

    /** One request against an account id. */
    interface Call {
        HttpRequest.Builder request(String id, String token);
    }

    List<Call> idCalls(String changeJson) {
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

    static Call named(String name, Call call) {
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
        return SYSTEM.call(() -> tenants.create(NewTenant.builder(prefix + "-" + shortId(), "Auth " + prefix).build()));
    }

    static Account newAccount(Tenant t, String prefix) {
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

    static String newUserJson(String login, String employeeNumber, String role, String name, String email, String password) {
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
    static String wrongCode(Account a) {
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

    static void assertNoneOf(List<String> secrets, String body, String where) {
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

    String mainDatabaseRow(String userId) throws Exception {
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

    static int count(String text, String what) {
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

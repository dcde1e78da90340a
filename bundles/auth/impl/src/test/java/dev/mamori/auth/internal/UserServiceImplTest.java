package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.ADMIN_IP;
import static dev.mamori.auth.internal.AuthFixture.ADMIN_PASSWORD;
import static dev.mamori.auth.internal.AuthFixture.EMPLOYEE_PASSWORD;
import static dev.mamori.auth.internal.AuthFixture.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.NewUser;
import dev.mamori.auth.PasswordRejectedException;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.User;
import dev.mamori.auth.UserChange;
import dev.mamori.auth.UserState;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.TenantException;

/** IAM-1..6, CRY-4, SEC-11: a tenant's accounts through UserServiceImpl on the real units (H2). */
class UserServiceImplTest {
    private static final Profile TARO = new Profile("山田 太郎", "Taro.Yamada@Example.co.jp", "Tokyo HQ", "Asia/Tokyo", "ja-JP");

    private AuthFixture fx;
    private String tenant;

    @BeforeEach
    void setUp() {
        fx = new AuthFixture(AuthDb.h2());
        tenant = fx.newTenant();
    }

    private <T> T admin(Supplier<T> work) {
        return fx.asAdmin(tenant, work);
    }

    private User taro() {
        return fx.create(tenant, "taro", "E-1001", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD);
    }

    private static MamoriException fails(ErrorKind kind, Executable call) {
        MamoriException e = assertThrows(MamoriException.class, call);
        assertEquals(kind, e.kind(), e.toString());
        return e;
    }

    private static AuthException fails(dev.mamori.platform.error.ErrorCode code, Executable call) {
        AuthException e = assertThrows(AuthException.class, call);
        assertEquals(code, e.errorCode(), e.getMessage());
        return e;
    }

    @Test
    @DisplayName("IAM-1: an admin creates an account; it is listed, found, and its creation published")
    void createListFind() {
        User u = taro();
        assertEquals(tenant, u.tenantId());
        assertEquals("taro", u.loginName());
        assertEquals("E-1001", u.employeeNumber());
        assertEquals(Set.of(Roles.EMPLOYEE), u.roles());
        assertEquals(Set.of(), u.permissions());
        assertEquals(UserState.ACTIVE, u.state());
        assertFalse(u.locked());
        assertFalse(u.mfaEnrolled());
        assertEquals(AuthFixture.T0, u.createdAt());

        User hanako = fx.create(tenant, "Hanako", "E-1002", Set.of(Roles.REVIEWER), Profile.EMPTY, EMPLOYEE_PASSWORD);
        assertEquals("hanako", hanako.loginName(), "login names are kept in lower case");
        assertEquals(List.of("hanako", "taro"), admin(() -> fx.users.list()).stream().map(User::loginName).toList());
        assertEquals(Optional.of(u), admin(() -> fx.users.find(u.id())));
        assertEquals(Optional.empty(), admin(() -> fx.users.find("00000000-0000-0000-0000-000000000000")));

        MamoriEvent created = fx.events.of(AuthEvents.USER_CREATED).get(0);
        assertEquals(Optional.of(u.id()), created.targetId());
        assertEquals(Optional.of(tenant), created.tenantId());
        assertEquals("employee", created.details().get("roles"));
        assertFalse(created.toString().contains("Yamada"), "no personal data in events");
    }

    @Test
    @DisplayName("IAM-1: bad login names, employee numbers, roles and profiles are refused as invalid-user")
    void createValidates() {
        for (String bad : new String[] {"", "a", "-taro", "taro yamada", "erased-1234", "x".repeat(65), "太郎"}) {
            fails(AuthErrors.INVALID_USER, () -> fx.create(tenant, bad, "E-9", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD));
        }
        fails(AuthErrors.INVALID_USER, () -> fx.create(tenant, "taro", " ", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD));
        fails(AuthErrors.INVALID_USER, () -> fx.create(tenant, "taro", "E-1", Set.of(), Profile.EMPTY, EMPLOYEE_PASSWORD));
        fails(AuthErrors.INVALID_USER, () -> fx.create(tenant, "taro", "E-1", Set.of(Roles.OPERATOR), Profile.EMPTY, ADMIN_PASSWORD));
        fails(AuthErrors.INVALID_USER, () -> fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE),
                new Profile(null, "not-an-address", null, null, null), EMPLOYEE_PASSWORD));
        fails(AuthErrors.INVALID_USER, () -> fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE),
                new Profile(null, null, null, "Mars/Olympus", null), EMPLOYEE_PASSWORD));
        assertEquals(List.of(), admin(() -> fx.users.list()), "nothing was half-created");
    }

    @Test
    @DisplayName("IAM-3: login name, employee number and e-mail are unique per tenant; another tenant may use the same")
    void uniquePerTenant() {
        User taro = taro();
        fails(AuthErrors.USER_CONFLICT, () -> fx.create(tenant, "TARO", "E-2000", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD));
        fails(AuthErrors.USER_CONFLICT, () -> fx.create(tenant, "jiro", "E-1001", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD));
        fails(AuthErrors.USER_CONFLICT, () -> fx.create(tenant, "jiro", "E-2000", Set.of(Roles.EMPLOYEE),
                new Profile("Jiro", " taro.yamada@example.CO.JP ", null, null, null), EMPLOYEE_PASSWORD));
        assertEquals(1, admin(() -> fx.users.list()).size());
        assertEquals(0, AuthDb.query(fx.db.piiDs(), "SELECT user_id FROM mamori_auth_profile WHERE tenant_id = ? AND user_id <> ?",
                tenant, taro.id()).size(), "no orphaned profile of a refused account");

        // changing another account to taken names is refused too
        User jiro = fx.create(tenant, "jiro", "E-2000", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
        fails(AuthErrors.USER_CONFLICT, () -> admin(() -> fx.users.update(jiro.id(), new UserChange("taro", null, null))));
        fails(AuthErrors.USER_CONFLICT, () -> admin(() -> fx.users.update(jiro.id(), new UserChange(null, "E-1001", null))));
        fails(AuthErrors.USER_CONFLICT, () -> admin(() -> fx.users.update(jiro.id(),
                new UserChange(null, null, new Profile(null, "taro.yamada@example.co.jp", null, null, null)))));
        // its own names are no conflict
        assertEquals("jiro", admin(() -> fx.users.update(jiro.id(), new UserChange("jiro", "E-2000", null))).loginName());

        String other = fx.newTenant();
        User otherTaro = fx.create(other, "taro", "E-1001", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD);
        assertNotEquals(taro.id(), otherTaro.id());
        assertEquals(other, otherTaro.tenantId());
    }

    @Test
    @DisplayName("IAM-1: update changes names and profile; the event names the fields, never the values")
    void update() {
        User u = taro();
        fx.clock.advance(java.time.Duration.ofMinutes(5));
        Profile next = new Profile("山田 太郎", "taro@example.jp", "Osaka", "Asia/Tokyo", "en-GB");
        User changed = admin(() -> fx.users.update(u.id(), new UserChange("t.yamada", "E-1001a", next)));
        assertEquals("t.yamada", changed.loginName());
        assertEquals("E-1001a", changed.employeeNumber());
        assertEquals(AuthFixture.T0.plusSeconds(300), changed.updatedAt());
        assertEquals(Optional.of(next), admin(() -> fx.users.profile(u.id())));
        MamoriEvent ev = fx.events.last(AuthEvents.USER_UPDATED);
        assertEquals("employeeNumber,loginName,profile", ev.details().get("fields"));
        assertFalse(ev.toString().contains("Osaka"));

        // sign-in follows: the old e-mail no longer finds the account, the new one does
        fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(tenant, "taro.yamada@example.co.jp", EMPLOYEE_PASSWORD));
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "TARO@example.jp", EMPLOYEE_PASSWORD).state());
    }

    /**
     * Issue #15: an update changes the profile (PII store) and the account (main store, with its
     * event) in one unit of work; each step is failed in turn.
     */
    @Test
    @DisplayName("IAM-4, AUD-1: the event is refused, or the main store's commit: neither the profile nor the account changed")
    void updateIsOneUnitOfWork_eventOrMainCommitRefused() {
        User u = taro();
        Optional<Profile> before = admin(() -> fx.users.profile(u.id()));
        Profile next = new Profile("山田 太郎", "taro@example.jp", "Osaka", "Asia/Tokyo", "en-GB");
        fx.events.refuse = AuthEvents.USER_UPDATED;
        try {
            MamoriException e = assertThrows(MamoriException.class,
                    () -> admin(() -> fx.users.update(u.id(), new UserChange("t.yamada", null, next))));
            assertEquals(dev.mamori.platform.error.PlatformErrors.EVENT_DELIVERY_FAILED.code(), e.code());
        } finally {
            fx.events.refuse = null;
        }
        assertEquals(before, admin(() -> fx.users.profile(u.id())), "the profile is not there without its event");
        assertEquals("taro", admin(() -> fx.users.find(u.id())).orElseThrow().loginName());

        AuthDb.FAIL_MAIN_COMMIT.set(true);
        try {
            MamoriException e = assertThrows(MamoriException.class,
                    () -> admin(() -> fx.users.update(u.id(), new UserChange("t.yamada", null, next))));
            assertEquals(dev.mamori.platform.error.PlatformErrors.UNIT_ROLLED_BACK.code(), e.code());
        } finally {
            AuthDb.FAIL_MAIN_COMMIT.set(false);
        }
        assertEquals(before, admin(() -> fx.users.profile(u.id())));
        assertEquals("taro", admin(() -> fx.users.find(u.id())).orElseThrow().loginName());
        // and with nothing refused, both change
        admin(() -> fx.users.update(u.id(), new UserChange("t.yamada", null, next)));
        assertEquals(Optional.of(next), admin(() -> fx.users.profile(u.id())));
    }

    @Test
    @DisplayName("IAM-4, AUD-1: the PII store refuses after the main store committed: the account is taken back to its profile")
    void updateIsOneUnitOfWork_piiCommitRefused() {
        User u = taro();
        Optional<Profile> before = admin(() -> fx.users.profile(u.id()));
        Profile next = new Profile("山田 太郎", "taro@example.jp", "Osaka", "Asia/Tokyo", "en-GB");
        AuthDb.FAIL_PII_COMMIT.set(true);
        try {
            MamoriException e = assertThrows(MamoriException.class,
                    () -> admin(() -> fx.users.update(u.id(), new UserChange("t.yamada", "E-1001a", next))));
            assertEquals(dev.mamori.platform.error.PlatformErrors.UNIT_INCOMPLETE.code(), e.code());
        } finally {
            AuthDb.FAIL_PII_COMMIT.set(false);
        }
        assertEquals(before, admin(() -> fx.users.profile(u.id())));
        User now = admin(() -> fx.users.find(u.id())).orElseThrow();
        assertEquals("taro", now.loginName(), "compensated");
        assertEquals("E-1001", now.employeeNumber());
        // the old e-mail still signs in: the index matches the profile that is there
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro.yamada@example.co.jp", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-1, AUD-1: a create whose event is refused leaves no account and no profile; one whose PII commit fails leaves no account")
    void createIsOneUnitOfWork() {
        fx.events.refuse = AuthEvents.USER_CREATED;
        try {
            assertThrows(MamoriException.class, () -> fx.create(tenant, "jiro", "E-2002", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD));
        } finally {
            fx.events.refuse = null;
        }
        assertTrue(admin(() -> fx.users.list()).stream().noneMatch(x -> x.loginName().equals("jiro")));
        int profiles = AuthDb.query(fx.db.piiDs(), "SELECT COUNT(*) AS n FROM mamori_auth_profile").get(0).values().stream()
                .mapToInt(v -> ((Number) v).intValue()).sum();

        AuthDb.FAIL_PII_COMMIT.set(true);
        try {
            MamoriException e = assertThrows(MamoriException.class,
                    () -> fx.create(tenant, "saburo", "E-3003", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD));
            assertEquals(dev.mamori.platform.error.PlatformErrors.UNIT_INCOMPLETE.code(), e.code());
        } finally {
            AuthDb.FAIL_PII_COMMIT.set(false);
        }
        assertTrue(admin(() -> fx.users.list()).stream().noneMatch(x -> x.loginName().equals("saburo")), "compensated");
        assertEquals(profiles, AuthDb.query(fx.db.piiDs(), "SELECT COUNT(*) AS n FROM mamori_auth_profile").get(0).values()
                .stream().mapToInt(v -> ((Number) v).intValue()).sum(), "no profile without its account");
        // the names are free again
        fx.create(tenant, "saburo", "E-3003", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD);
    }

    @Test
    @DisplayName("IAM-1: an update that changes nothing returns the account unchanged (no failure)")
    void emptyUpdate() {
        User u = taro();
        User same = admin(() -> fx.users.update(u.id(), new UserChange(null, null, null)));
        assertEquals(u.loginName(), same.loginName());
        assertEquals(u.employeeNumber(), same.employeeNumber());
    }

    @Test
    @DisplayName("IAM-2: roles and scoped permissions are replaced, validated, and the account's sessions revoked")
    void rolesAndPermissions() {
        User u = taro();
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        User r = admin(() -> fx.users.setRoles(u.id(), Set.of(Roles.EMPLOYEE, Roles.REVIEWER)));
        assertEquals(Set.of(Roles.EMPLOYEE, Roles.REVIEWER), r.roles());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
        assertEquals("employee", fx.events.last(AuthEvents.ROLES_CHANGED).details().get("from"));
        assertEquals("employee,reviewer", fx.events.last(AuthEvents.ROLES_CHANGED).details().get("to"));
        fails(AuthErrors.INVALID_USER, () -> admin(() -> fx.users.setRoles(u.id(), Set.of("root"))));
        fails(AuthErrors.INVALID_USER, () -> admin(() -> fx.users.setRoles(u.id(), Set.of())));

        SignIn s2 = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        User p = admin(() -> fx.users.setPermissions(u.id(), Set.of("records:read:dept/sales", " records:write:dept/sales ")));
        assertEquals(Set.of("records:read:dept/sales", "records:write:dept/sales"), p.permissions());
        assertEquals(Optional.of(p.permissions()), admin(() -> fx.users.find(u.id())).map(User::permissions));
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s2.token()));
        for (String bad : new String[] {"records", "Records:read", "records:read:dept/", "records:read:a:b", "records:read:dept sales"}) {
            fails(AuthErrors.INVALID_USER, () -> admin(() -> fx.users.setPermissions(u.id(), Set.of(bad))));
        }
        assertEquals(Set.of(), admin(() -> fx.users.setPermissions(u.id(), Set.of())).permissions());
    }

    @Test
    @DisplayName("IAM-1: deactivate ends sign-in and sessions; reactivate restores sign-in")
    void deactivateReactivate() {
        User u = taro();
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertEquals(UserState.DEACTIVATED, admin(() -> fx.users.deactivate(u.id())).state());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD));
        assertEquals(UserState.ACTIVE, admin(() -> fx.users.reactivate(u.id())).state());
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD).state());
        assertEquals(1, fx.events.of(AuthEvents.DEACTIVATED).size());
        assertEquals(1, fx.events.of(AuthEvents.REACTIVATED).size());
    }

    @Test
    @DisplayName("IAM-9: unlock clears a lock and the counter")
    void unlock() {
        User u = taro();
        for (int i = 0; i < 5; i++) {
            fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(tenant, "taro", "Wrong-pass1"));
        }
        assertTrue(admin(() -> fx.users.find(u.id())).orElseThrow().locked());
        User unlocked = admin(() -> fx.users.unlock(u.id()));
        assertFalse(unlocked.locked());
        assertEquals(0, ((Number) AuthDb.query(fx.db.mainDs(), "SELECT failed_count FROM mamori_auth_user WHERE id = ?", u.id())
                .get(0).get("failed_count")).intValue());
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-14: force password reset: the old password stops, sessions end, a single-use token sets a new one")
    void forcePasswordReset() {
        User u = taro();
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        String token = admin(() -> fx.users.forcePasswordReset(u.id()));
        assertNotEquals(null, token);
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD));
        String row = AuthDb.query(fx.db.mainDs(), "SELECT * FROM mamori_auth_user WHERE id = ?", u.id()).toString();
        assertFalse(row.contains(token), "the reset token is stored hashed only");
        AuthFixture.from(AuthFixture.USER_IP, () -> {
            fx.auth.resetPassword(tenant, token, "Nw5tPass9x".toCharArray());
            return null;
        });
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro", "Nw5tPass9x").state());
        assertEquals(1, fx.events.of(AuthEvents.PASSWORD_RESET_ISSUED).size());
        // deactivated accounts get no reset token
        admin(() -> fx.users.deactivate(u.id()));
        fails(AuthErrors.USER_STATE, () -> admin(() -> fx.users.forcePasswordReset(u.id())));
    }

    @Test
    @DisplayName("IAM-11: resetMfa removes the factor and recovery codes and ends the sessions")
    void resetMfa() {
        User u = taro();
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        TotpSupport.Enrolled first = TotpSupport.enrol(fx, s.token());
        SignIn other = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertEquals(SessionState.MFA_REQUIRED, other.state());
        assertTrue(admin(() -> fx.users.find(u.id())).orElseThrow().mfaEnrolled());
        User reset = admin(() -> fx.users.resetMfa(u.id()));
        assertFalse(reset.mfaEnrolled());
        assertEquals(0, AuthDb.query(fx.db.mainDs(), "SELECT token_hash FROM mamori_auth_session WHERE user_id = ?", u.id()).size());
        assertEquals(1, fx.events.of(AuthEvents.MFA_RESET).size());
        SignIn plain = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertEquals(SessionState.AUTHENTICATED, plain.state(), "no second factor any more");
        // enrolled anew, the old secret's codes and the old recovery codes are worthless
        fx.clock.advance(java.time.Duration.ofSeconds(30));
        TotpSupport.Enrolled second = TotpSupport.enrol(fx, plain.token());
        fx.clock.advance(java.time.Duration.ofSeconds(30));
        SignIn pw = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertThrows(AuthException.class, () -> AuthFixture.from(AuthFixture.USER_IP,
                () -> fx.auth.recover(pw.token(), first.confirmation().recoveryCodes().get(0))));
        if (!TotpSupport.code(first.secret(), fx.clock.instant()).equals(TotpSupport.code(second.secret(), fx.clock.instant()))) {
            assertThrows(AuthException.class, () -> AuthFixture.from(AuthFixture.USER_IP,
                    () -> fx.auth.verifyMfa(pw.token(), "totp", TotpSupport.code(first.secret(), fx.clock.instant()))));
        }
        assertEquals(SessionState.AUTHENTICATED, AuthFixture.from(AuthFixture.USER_IP,
                () -> fx.auth.verifyMfa(pw.token(), "totp", TotpSupport.code(second.secret(), fx.clock.instant()))).state());
    }

    @Test
    @DisplayName("IAM-4, CRY-4: the profile round-trips, stored only encrypted on the PII store, nothing of it on the main store")
    void profileEncrypted() {
        User u = taro();
        assertEquals(Optional.of(new Profile("山田 太郎", "taro.yamada@example.co.jp", "Tokyo HQ", "Asia/Tokyo", "ja-JP")),
                admin(() -> fx.users.profile(u.id())), "the e-mail normalised, the rest as given");
        List<Map<String, Object>> rows = AuthDb.query(fx.db.piiDs(), "SELECT tenant_id, data FROM mamori_auth_profile WHERE user_id = ?", u.id());
        assertEquals(1, rows.size());
        assertEquals(tenant, rows.get(0).get("tenant_id"));
        String data = (String) rows.get(0).get("data");
        byte[] raw = Base64.getDecoder().decode(data);
        for (String plain : new String[] {"山田", "taro.yamada", "Tokyo HQ", "Asia/Tokyo"}) {
            assertFalse(data.contains(plain), plain);
            assertFalse(new String(raw, StandardCharsets.UTF_8).contains(plain), plain);
            assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains(plain), plain);
        }
        Map<String, Object> main = AuthDb.query(fx.db.mainDs(), "SELECT * FROM mamori_auth_user WHERE id = ?", u.id()).get(0);
        String mainRow = main.values().toString();
        assertFalse(mainRow.contains("taro.yamada") || mainRow.contains("山田") || mainRow.contains("Tokyo HQ"), mainRow);
        String index = (String) main.get("email_index");
        assertEquals(64, index.length(), "an HMAC-SHA256 blind index in hex");
        // the vault's keyed index of the normalised address, not a hash auth computed itself
        byte[] normalised = "taro.yamada@example.co.jp".getBytes(StandardCharsets.UTF_8);
        assertEquals(HexFormat.of().formatHex(fx.tenants.callAs(tenant, () -> fx.vault.blindIndex(tenant, Profiles.EMAIL_FIELD,
                normalised))), index);
        assertNotEquals(sha256(normalised), index, "an unkeyed SHA-256 would let anyone holding the table test guesses");
        assertNotEquals(sha256((Profiles.EMAIL_FIELD + "\0taro.yamada@example.co.jp").getBytes(StandardCharsets.UTF_8)), index);
        // the double is keyed: another vault (another key) indexes the same address differently
        TestVault otherKeys = new TestVault(fx.tenants);
        assertNotEquals(HexFormat.of().formatHex(fx.tenants.callAs(tenant, () -> otherKeys.blindIndex(tenant, Profiles.EMAIL_FIELD,
                normalised))), index);
        // and per tenant: the same address in another tenant has another index
        String otherTenant = fx.newTenant();
        User otherTaro = fx.create(otherTenant, "taro", "E-1001", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD);
        assertNotEquals(index, AuthDb.query(fx.db.mainDs(), "SELECT email_index FROM mamori_auth_user WHERE id = ?", otherTaro.id())
                .get(0).get("email_index"));
        assertTrue(fx.vault.hasPersonKey(tenant, u.id()));
        // the owner reads their own profile; another employee does not
        Principal self = Principal.user(u.id(), tenant, Set.of(Roles.EMPLOYEE));
        assertEquals("山田 太郎", as(self, tenant, ADMIN_IP, () -> fx.users.profile(u.id())).orElseThrow().fullName());
        User jiro = fx.employee(tenant, "jiro");
        Principal other = Principal.user(jiro.id(), tenant, Set.of(Roles.EMPLOYEE));
        fails(ErrorKind.FORBIDDEN, () -> as(other, tenant, ADMIN_IP, () -> fx.users.profile(u.id())));
        // personal data: never the platform's operators (OPS-2)
        Principal operator = Principal.operator("op1", Set.of(Roles.OPERATOR));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.profile(u.id())));
    }

    @Test
    @DisplayName("AUD-1, AUD-2: every read of personal data is recorded (auth.profile.read: who, whose, from where) before it is handed out")
    void profileReadsAreRecorded() {
        User u = taro();
        fx.events.clear();
        assertTrue(admin(() -> fx.users.profile(u.id())).isPresent());
        MamoriEvent read = fx.events.last(AuthEvents.PROFILE_READ);
        assertTrue(read.isRead());
        assertEquals("user", read.targetType().orElseThrow());
        assertEquals(u.id(), read.targetId().orElseThrow());
        assertEquals(tenant, read.tenantId().orElseThrow());
        assertEquals(AuthFixture.ADMIN_IP, read.clientIp().orElseThrow());
        assertTrue(read.principalRoles().contains(Roles.TENANT_ADMIN));
        assertTrue(read.details().isEmpty(), "no personal data in the event");
        // the owner's own read is recorded too; a refused read and an erased profile are no read
        Principal self = Principal.user(u.id(), tenant, Set.of(Roles.EMPLOYEE));
        as(self, tenant, ADMIN_IP, () -> fx.users.profile(u.id()));
        assertEquals(u.id(), fx.events.last(AuthEvents.PROFILE_READ).principalId().orElseThrow());
        Principal other = Principal.user(fx.employee(tenant, "jiro").id(), tenant, Set.of(Roles.EMPLOYEE));
        fails(ErrorKind.FORBIDDEN, () -> as(other, tenant, ADMIN_IP, () -> fx.users.profile(u.id())));
        assertEquals(2, fx.events.of(AuthEvents.PROFILE_READ).size());
        // a read that cannot be recorded does not happen
        fx.events.refuse = AuthEvents.PROFILE_READ;
        assertEquals(dev.mamori.platform.error.PlatformErrors.EVENT_DELIVERY_FAILED.code(),
                assertThrows(MamoriException.class,
                        () -> admin(() -> fx.users.profile(u.id()))).code());
        fx.events.refuse = null;
        admin(() -> fx.users.erase(u.id(), u.id()));
        assertTrue(admin(() -> fx.users.profile(u.id())).isEmpty());
        assertEquals(2, fx.events.of(AuthEvents.PROFILE_READ).size());
    }

    @Test
    @DisplayName("IAM-5: erasure destroys the key, deletes the PII row, clears index and employee number, keeps a pseudonymous account")
    void erase() {
        User u = taro();
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_USER, () -> admin(() -> fx.users.erase(u.id(), "not the id")));
        assertTrue(fx.vault.hasPersonKey(tenant, u.id()), "a wrong confirmation erases nothing");

        User erased = admin(() -> fx.users.erase(u.id(), u.id()));
        assertEquals(UserState.ERASED, erased.state());
        assertNull(erased.employeeNumber());
        assertTrue(erased.loginName().startsWith("erased-"), erased.loginName());
        assertFalse(erased.loginName().contains("taro"));

        assertTrue(fx.vault.personKeyDestroyed(tenant, u.id()));
        assertEquals(0, AuthDb.query(fx.db.piiDs(), "SELECT user_id FROM mamori_auth_profile WHERE user_id = ?", u.id()).size());
        Map<String, Object> row = AuthDb.query(fx.db.mainDs(), "SELECT * FROM mamori_auth_user WHERE id = ?", u.id()).get(0);
        assertNull(row.get("email_index"));
        assertNull(row.get("employee_number"));
        assertNull(row.get("password_hash"));
        assertEquals(erased.loginName(), row.get("login_name"));
        assertEquals("ERASED", row.get("state"));

        // the account still resolves by id, its personal data does not
        User found = admin(() -> fx.users.find(u.id())).orElseThrow();
        assertEquals(UserState.ERASED, found.state());
        assertEquals(Optional.empty(), admin(() -> fx.users.profile(u.id())));
        assertTrue(admin(() -> fx.users.list()).stream().anyMatch(x -> x.id().equals(u.id())));
        // no sign-in, by name, pseudonym or e-mail; sessions gone
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(tenant, "taro.yamada@example.co.jp", EMPLOYEE_PASSWORD));
        // nothing can be changed any more
        fails(AuthErrors.USER_STATE, () -> admin(() -> fx.users.reactivate(u.id())));
        fails(AuthErrors.USER_STATE, () -> admin(() -> fx.users.update(u.id(), new UserChange(null, null, TARO))));
        fails(AuthErrors.USER_STATE, () -> admin(() -> fx.users.erase(u.id(), u.id())));
        // the freed names can be used again (IAM-3)
        User again = fx.create(tenant, "taro", "E-1001", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD);
        assertNotEquals(u.id(), again.id());
        assertEquals(1, fx.events.of(AuthEvents.ERASED).size());
    }

    @Test
    @DisplayName("IAM-3: an employee number finds its account for the account itself and the tenant's admins, for nobody else")
    void findByEmployeeNumber() {
        User u = taro();
        assertEquals(u.id(), admin(() -> fx.users.findByEmployeeNumber(u.employeeNumber())).orElseThrow().id());
        assertEquals(u.id(), as(Principal.user(u.id(), tenant, Set.of(Roles.EMPLOYEE)), tenant, ADMIN_IP,
                () -> fx.users.findByEmployeeNumber(u.employeeNumber())).orElseThrow().id());
        User other = fx.create(tenant, "hanako", "E-2002", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
        assertTrue(as(Principal.user(other.id(), tenant, Set.of(Roles.EMPLOYEE)), tenant, ADMIN_IP,
                () -> fx.users.findByEmployeeNumber(u.employeeNumber())).isEmpty(), "another employee learns nothing");
        assertTrue(admin(() -> fx.users.findByEmployeeNumber("E-nobody")).isEmpty());
        assertTrue(admin(() -> fx.users.findByEmployeeNumber("' OR 1=1 --")).isEmpty());
    }

    @Test
    @DisplayName("IAM-5: an erasure reaches every participant in its unit with the employee number and says what each did; "
            + "a required participant missing or failing erases nothing")
    void erasureParticipants() {
        User u = taro();
        java.util.List<String> seen = new java.util.ArrayList<>();
        dev.mamori.auth.spi.ErasureParticipant records = (t, account, employeeNumber) -> {
            seen.add(t + "|" + account + "|" + employeeNumber);
            return Map.of("trashed", 3L, "pseudonymised", 2L);
        };
        UserServiceImpl strict = new UserServiceImpl(fx.store, fx.accounts, fx.profiles, fx.passwords, fx.sessions, fx.events, fx.clock,
                fx.attempts, dev.mamori.platform.db.UnitOfWork.get(), AuthConfigs.of(Map.of("erasure_participants", new String[] {"records"})));
        dev.mamori.platform.error.MamoriException missing = assertThrows(dev.mamori.platform.error.MamoriException.class,
                () -> admin(() -> strict.eraseWithEffects(u.id(), u.id())));
        assertEquals(dev.mamori.platform.error.ErrorKind.UNAVAILABLE, missing.kind());
        assertTrue(fx.vault.hasPersonKey(tenant, u.id()), "nothing erased while records is away");
        strict.addParticipant((t, account, employeeNumber) -> {
            throw new IllegalStateException("records store down (test)");
        }, Map.of(dev.mamori.auth.spi.ErasureParticipant.NAME, "records"));
        assertThrows(IllegalStateException.class, () -> admin(() -> strict.eraseWithEffects(u.id(), u.id())));
        assertEquals(UserState.ACTIVE, admin(() -> fx.users.find(u.id())).orElseThrow().state(), "the account is not marked erased");
        strict.addParticipant(records, Map.of(dev.mamori.auth.spi.ErasureParticipant.NAME, "records"));
        dev.mamori.auth.Erasure done = admin(() -> strict.eraseWithEffects(u.id(), u.id()));
        assertEquals(UserState.ERASED, done.account().state());
        assertEquals(Map.of("records.pseudonymised", 2L, "records.trashed", 3L), done.effects());
        assertEquals(java.util.List.of(tenant + "|" + u.id() + "|" + u.employeeNumber()), seen);
        strict.removeParticipant(records, Map.of(dev.mamori.auth.spi.ErasureParticipant.NAME, "records"));
    }

    @Test
    @DisplayName("IAM-6: passwords by role - 8 for employees, 12 for tenant admins; login name and common passwords refused")
    void passwordRulesByRole() {
        User e = fx.create(tenant, "emp8", "E-8", Set.of(Roles.EMPLOYEE), Profile.EMPTY, "Ab3defgh");
        assertEquals(Set.of(Roles.EMPLOYEE), e.roles());
        PasswordRejectedException shortAdmin = assertThrows(PasswordRejectedException.class,
                () -> fx.create(tenant, "adm11", "A-11", Set.of(Roles.TENANT_ADMIN), Profile.EMPTY, "Ab3defghijk"));
        assertEquals(AuthErrors.PASSWORD_REJECTED, shortAdmin.errorCode());
        assertFalse(shortAdmin.getMessage().contains("Ab3defghijk"), "the message never repeats the password");
        fx.create(tenant, "adm12", "A-12", Set.of(Roles.TENANT_ADMIN), Profile.EMPTY, "Ab3defghijkl");
        // admin rules also when the role is one of several
        assertThrows(PasswordRejectedException.class,
                () -> fx.create(tenant, "mixed", "M-1", Set.of(Roles.EMPLOYEE, Roles.TENANT_ADMIN), Profile.EMPTY, "Ab3defgh"));
        for (String bad : new String[] {"Ab3defg", "abcdefg3", "ABCDEFG3", "Abcdefgh", "Password1", "Xemp9abc1Q"}) {
            assertThrows(PasswordRejectedException.class,
                    () -> fx.create(tenant, "emp9abc1", "E-9", Set.of(Roles.EMPLOYEE), Profile.EMPTY, bad), bad);
        }
        assertThrows(PasswordRejectedException.class, () -> fx.create(tenant, "kenji", "E-10", Set.of(Roles.EMPLOYEE),
                new Profile(null, "hanako.s@example.jp", null, null, null), "Xhanako.s9"), "e-mail local part");
        assertEquals(2, admin(() -> fx.users.list()).size());
    }

    @Test
    @DisplayName("IAM-6: a tenant may tighten the rules (longer, special characters), never loosen them")
    void tenantTightens() {
        fx.withSettings();
        fx.settings.put(tenant, Map.of(Passwords.MIN_LENGTH_SETTING, "10", Passwords.SPECIAL_SETTING, "true"));
        assertThrows(PasswordRejectedException.class,
                () -> fx.create(tenant, "emp1", "E-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD));
        assertThrows(PasswordRejectedException.class,
                () -> fx.create(tenant, "emp1", "E-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY, "Kq7vLm2xAb"));
        fx.create(tenant, "emp1", "E-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY, "Kq7vLm2x-b");
        fx.settings.put(tenant, Map.of(Passwords.MIN_LENGTH_SETTING, "4"));
        assertThrows(PasswordRejectedException.class,
                () -> fx.create(tenant, "emp2", "E-2", Set.of(Roles.EMPLOYEE), Profile.EMPTY, "Kq7vLm2"), "8 stays the floor");
        assertThrows(PasswordRejectedException.class,
                () -> fx.create(tenant, "adm2", "A-2", Set.of(Roles.TENANT_ADMIN), Profile.EMPTY, "Kq7vLm2xAb1"), "12 for admins");
        // another tenant is not affected
        String other = fx.newTenant();
        fx.create(other, "emp1", "E-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
    }

    @Test
    @DisplayName("SEC-11: employees and reviewers calling admin methods get FORBIDDEN, and nothing changes")
    void employeesAreNotAdmins() {
        User u = taro();
        for (String role : new String[] {Roles.EMPLOYEE, Roles.REVIEWER}) {
            User caller = fx.create(tenant, "caller-" + role, "C-" + role, Set.of(role), Profile.EMPTY, EMPLOYEE_PASSWORD);
            Principal p = Principal.user(caller.id(), tenant, Set.of(role));
            List<Executable> calls = List.of(
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("x1", "X-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY,
                            EMPLOYEE_PASSWORD.toCharArray()))),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.list()),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.find(u.id())),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.profile(u.id())),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.update(u.id(), new UserChange("hacked", null, null))),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.setRoles(caller.id(), Set.of(Roles.TENANT_ADMIN))),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.setPermissions(caller.id(), Set.of("records:*"))),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.deactivate(u.id())),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.reactivate(u.id())),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.unlock(caller.id())),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.resetMfa(caller.id())),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(u.id())),
                    () -> as(p, tenant, ADMIN_IP, () -> fx.users.erase(u.id(), u.id())));
            for (Executable call : calls) {
                fails(ErrorKind.FORBIDDEN, call);
            }
            // but they see themselves
            assertEquals(caller.id(), as(p, tenant, ADMIN_IP, () -> fx.users.find(caller.id())).orElseThrow().id());
        }
        User now = admin(() -> fx.users.find(u.id())).orElseThrow();
        assertEquals(u.loginName(), now.loginName());
        assertEquals(UserState.ACTIVE, now.state());
        assertEquals(Set.of(Roles.EMPLOYEE), admin(() -> fx.users.find(u.id())).orElseThrow().roles());
        // support never manages accounts (OPS-2); without a principal nothing runs
        Principal support = Principal.support("sup1", Set.of(Roles.SUPPORT));
        fails(ErrorKind.FORBIDDEN, () -> as(support, tenant, ADMIN_IP, () -> fx.users.list()));
        fails(ErrorKind.UNAUTHENTICATED, () -> as(null, tenant, ADMIN_IP, () -> fx.users.list()));
    }

    @Test
    @DisplayName("SEC-11: another tenant's admin neither sees nor changes an account: user-not-found, never data")
    void otherTenantAdmin() {
        User u = taro();
        String other = fx.newTenant();
        Principal otherAdmin = AuthFixture.admin(other);
        // with its own tenant bound (what its session gives it)
        assertEquals(Optional.empty(), fx.asAdmin(other, () -> fx.users.find(u.id())));
        assertEquals(Optional.empty(), fx.asAdmin(other, () -> fx.users.profile(u.id())));
        assertTrue(fx.asAdmin(other, () -> fx.users.list()).isEmpty());
        List<Executable> changes = List.of(
                () -> fx.asAdmin(other, () -> fx.users.update(u.id(), new UserChange("hacked", null, null))),
                () -> fx.asAdmin(other, () -> fx.users.setRoles(u.id(), Set.of(Roles.TENANT_ADMIN))),
                () -> fx.asAdmin(other, () -> fx.users.setPermissions(u.id(), Set.of("records:*"))),
                () -> fx.asAdmin(other, () -> fx.users.deactivate(u.id())),
                () -> fx.asAdmin(other, () -> fx.users.reactivate(u.id())),
                () -> fx.asAdmin(other, () -> fx.users.unlock(u.id())),
                () -> fx.asAdmin(other, () -> fx.users.resetMfa(u.id())),
                () -> fx.asAdmin(other, () -> fx.users.forcePasswordReset(u.id())),
                () -> fx.asAdmin(other, () -> fx.users.erase(u.id(), u.id())));
        for (Executable c : changes) {
            AuthException e = fails(AuthErrors.USER_NOT_FOUND, c);
            assertFalse(e.getMessage().contains("taro"), e.getMessage());
        }
        // with the victim's tenant bound while acting as the other tenant's admin
        fails(ErrorKind.FORBIDDEN, () -> as(otherAdmin, tenant, ADMIN_IP, () -> fx.users.find(u.id())));
        fails(ErrorKind.FORBIDDEN, () -> as(otherAdmin, tenant, ADMIN_IP, () -> fx.users.deactivate(u.id())));
        // and through the tenant context, which answers "no such tenant" for another tenant's caller
        assertThrows(TenantException.class, () -> as(otherAdmin, null, ADMIN_IP,
                () -> fx.tenants.callAs(tenant, () -> fx.users.find(u.id()))));

        User unchanged = admin(() -> fx.users.find(u.id())).orElseThrow();
        assertEquals("taro", unchanged.loginName());
        assertEquals(UserState.ACTIVE, unchanged.state());
        assertTrue(fx.vault.hasPersonKey(tenant, u.id()));
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-1: operators may manage accounts for the platform; ids that are no ids are user-not-found")
    void operatorsAndOddIds() {
        Principal operator = Principal.operator("op1", Set.of(Roles.OPERATOR));
        User u = as(operator, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("opmade", "O-1", Set.of(Roles.EMPLOYEE),
                Profile.EMPTY, null)));
        assertEquals("opmade", u.loginName());
        for (String odd : new String[] {"", "x", "' OR 1=1 --", u.id().toUpperCase(), "x".repeat(300)}) {
            fails(AuthErrors.USER_NOT_FOUND, () -> admin(() -> fx.users.deactivate(odd)));
        }
        assertEquals(Optional.empty(), admin(() -> fx.users.find("x".repeat(300))));
        assertEquals(UserState.ACTIVE, admin(() -> fx.users.find(u.id())).orElseThrow().state(), "nothing happened to the account");
    }

    @Test
    @DisplayName("OPS-2: an operator starts a tenant (its first admin) and helps (unlock, MFA reset), but never becomes or changes a customer's account")
    void operatorsCannotTakeOverAccounts() {
        Principal operator = Principal.operator("op2", Set.of(Roles.OPERATOR));
        User first = as(operator, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("first-admin", "A-1", Set.of(Roles.TENANT_ADMIN),
                Profile.EMPTY, null)));
        String token = as(operator, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(first.id()));
        assertFalse(token.isEmpty(), "a bootstrap token for an account that never had a password");
        from(() -> {
            fx.auth.resetPassword(tenant, token, ADMIN_PASSWORD.toCharArray());
            return null;
        });
        // the tenant has an admin now: the operator adds no accounts and resets no password in use
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("extra", "X-1",
                Set.of(Roles.EMPLOYEE), Profile.EMPTY, null))));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(first.id())));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.setRoles(first.id(), Set.of(Roles.EMPLOYEE))));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.setPermissions(first.id(), Set.of("records:read"))));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.deactivate(first.id())));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.update(first.id(),
                new dev.mamori.auth.UserChange("renamed", null, null))));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.erase(first.id(), first.id())));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.profile(first.id())));
        // what support needs: unlock and a second-factor reset (the person still needs the password)
        as(operator, tenant, ADMIN_IP, () -> fx.users.unlock(first.id()));
        as(operator, tenant, ADMIN_IP, () -> fx.users.resetMfa(first.id()));
        User after = admin(() -> fx.users.find(first.id())).orElseThrow();
        assertEquals("first-admin", after.loginName());
        assertEquals(Set.of(Roles.TENANT_ADMIN), after.roles());
        assertEquals(UserState.ACTIVE, after.state());
    }

    @Test
    @DisplayName("OPS-2: while the tenant has an active admin (tenant-admin with a password set, locked or mid-reset), an operator "
            + "issues no reset token, not even for a pending admin; the tenant's admins do")
    void operatorsCannotTakeOverPendingAccounts() {
        Principal operator = Principal.operator("op3", Set.of(Roles.OPERATOR));
        // starting the tenant: its first admin and a token, again if the first one got lost
        User first = as(operator, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("first-admin", "A-1", Set.of(Roles.TENANT_ADMIN),
                Profile.EMPTY, null)));
        as(operator, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(first.id()));
        String token = as(operator, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(first.id()));
        from(() -> {
            fx.auth.resetPassword(tenant, token, ADMIN_PASSWORD.toCharArray());
            return null;
        });
        // the admin adds an admin who has no password yet: the operator must not become it
        Principal firstAdmin = Principal.user(first.id(), tenant, Set.of(Roles.TENANT_ADMIN));
        User newhire = as(firstAdmin, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("newhire-admin", "A-2",
                Set.of(Roles.TENANT_ADMIN), Profile.EMPTY, null)));
        Executable operatorReset = () -> as(operator, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(newhire.id()));
        fails(ErrorKind.FORBIDDEN, operatorReset);
        assertNull(resetHash(newhire), "no token stored");
        // a locked admin still counts: anyone can lock an account with wrong passwords
        for (int i = 0; i < 5; i++) {
            fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(tenant, "first-admin", "Wrong-pass1234"));
        }
        assertTrue(admin(() -> fx.users.find(first.id())).orElseThrow().locked());
        fails(ErrorKind.FORBIDDEN, operatorReset);
        // so does one whose password is disabled by a pending reset: no window
        as(firstAdmin, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(first.id()));
        fails(ErrorKind.FORBIDDEN, operatorReset);
        assertNull(resetHash(newhire));
        // the tenant's admins issue it
        String own = as(firstAdmin, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(newhire.id()));
        assertFalse(own.isEmpty());
        assertEquals(List.of(first.id(), first.id(), first.id(), newhire.id()),
                fx.events.of(AuthEvents.PASSWORD_RESET_ISSUED).stream().map(ev -> ev.targetId().orElseThrow()).toList());
        // with every admin who took the tenant over deactivated, it has no active admin: the operator may start it again
        as(firstAdmin, tenant, ADMIN_IP, () -> fx.users.deactivate(first.id()));
        assertFalse(as(operator, tenant, ADMIN_IP, () -> fx.users.forcePasswordReset(newhire.id())).isEmpty());
    }

    @Test
    @DisplayName("OPS-2: an operator creates accounts without a password only (one it chose would sign it in after an MFA reset)")
    void operatorsSetNoPasswords() {
        Principal operator = Principal.operator("op4", Set.of(Roles.OPERATOR));
        fails(ErrorKind.FORBIDDEN, () -> as(operator, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("first-admin", "A-1",
                Set.of(Roles.TENANT_ADMIN), Profile.EMPTY, ADMIN_PASSWORD.toCharArray()))));
        assertEquals(List.of(), admin(() -> fx.users.list()), "nothing created");
        assertEquals("first-admin", as(operator, tenant, ADMIN_IP, () -> fx.users.create(new NewUser("first-admin", "A-1",
                Set.of(Roles.TENANT_ADMIN), Profile.EMPTY, null))).loginName());
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String resetHash(User u) {
        return (String) AuthDb.query(fx.db.mainDs(), "SELECT reset_hash FROM mamori_auth_user WHERE id = ?", u.id()).get(0)
                .get("reset_hash");
    }

    private static <T> T from(java.util.function.Supplier<T> work) {
        return AuthFixture.from(AuthFixture.USER_IP, work);
    }
}

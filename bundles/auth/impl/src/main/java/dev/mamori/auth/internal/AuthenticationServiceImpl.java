package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.AuthenticationService;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.IpAllowListService;
import dev.mamori.auth.MfaConfirmation;
import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.Roles;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.UserState;
import dev.mamori.auth.internal.session.Secrets;
import dev.mamori.auth.internal.store.RecoveryCodeEntity;
import dev.mamori.auth.internal.store.UserEntity;
import dev.mamori.auth.spi.MfaFactor;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;

/**
 * Sign-in of tenant users: password, second factor, recovery codes, enrolment, sign-out (IAM-9..11,
 * SEC-4, SEC-12). An unknown tenant or account, a wrong password, a locked, deactivated or erased
 * account and an address outside the allow-list all get the same answer after the same bcrypt
 * work; only the published event says which it was.
 */
@Component(service = AuthenticationService.class, configurationPid = AuthConfig.PID)
public class AuthenticationServiceImpl implements AuthenticationService {
    /** Tenant setting: {@code required} makes reviewers use MFA (IAM-11). */
    static final String REVIEWER_MFA_SETTING = "auth.mfa.reviewer";
    private static final int MAX_INPUT = 256;

    private final AuthStore store;
    private final Sessions sessions;
    private final Passwords passwords;
    private final Attempts attempts;
    private final Accounts accounts;
    private final TotpFactor totp;
    private final IpAllowListService allowLists;
    private final EventPublisher events;
    private final Clock clock;
    private final Map<String, MfaFactor> factors = new ConcurrentHashMap<>();
    private volatile String issuer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile TenantSettingsService settings;

    /** Constructor injection of the mandatory parts. */
    @Activate
    public AuthenticationServiceImpl(@Reference AuthStore store, @Reference Sessions sessions, @Reference Passwords passwords,
            @Reference Attempts attempts, @Reference Accounts accounts, @Reference TotpFactor totp,
            @Reference IpAllowListService allowLists, @Reference EventPublisher events, @Reference Clock clock, AuthConfig config) {
        this.store = store;
        this.sessions = sessions;
        this.passwords = passwords;
        this.attempts = attempts;
        this.accounts = accounts;
        this.totp = totp;
        this.allowLists = allowLists;
        this.events = events;
        this.clock = clock;
        this.issuer = config.mfa_issuer();
        factors.put(TotpFactor.ID, totp);
    }

    @Modified
    void modified(AuthConfig config) {
        this.issuer = config.mfa_issuer();
    }

    /** Second factors from plugins (WebAuthn, ...); the built-in TOTP cannot be replaced. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, target = "(!(" + MfaFactor.FACTOR + "=totp))")
    void addFactor(MfaFactor factor, Map<String, Object> props) {
        Object id = props.get(MfaFactor.FACTOR);
        if (id instanceof String) {
            factors.putIfAbsent((String) id, factor);
        }
    }

    void removeFactor(MfaFactor factor, Map<String, Object> props) {
        Object id = props.get(MfaFactor.FACTOR);
        if (id instanceof String) {
            factors.remove((String) id, factor);
        }
    }

    @Override
    public SignIn signIn(Credentials c) {
        attempts.checkAddress();
        char[] password = c == null ? null : c.password();
        if (c == null || !fits(c.tenant()) || !fits(c.login()) || password == null || password.length > 1024) {
            passwords.verify(new char[0], null);
            throw attempts.fail(null, null, "password", "malformed", false);
        }
        try {
            return store.tenants().callAs(c.tenant(), () -> passwordStep(c.login(), password));
        } catch (TenantException e) {
            // unknown, deleted or inaccessible tenant: the same work and answer as a wrong password
            passwords.verify(password, null);
            throw attempts.fail(null, null, "password", "unknown-tenant", false);
        }
    }

    private SignIn passwordStep(String login, char[] password) {
        String tenantId = store.tenants().requireTenantId();
        Optional<UserEntity> found = accounts.byLogin(tenantId, login);
        UserEntity u = found.orElse(null);
        boolean match = passwords.verify(password, u == null ? null : u.passwordHash);
        if (u == null) {
            throw attempts.fail(tenantId, null, "password", "unknown-account", false);
        }
        if (!allowLists.allows(tenantId, clientIp())) {
            events.publish(MamoriEvent.builder(AuthEvents.IP_REFUSED).tenant(tenantId).target("user", u.id)
                    .outcome(MamoriEvent.Outcome.DENIED));
            throw attempts.fail(tenantId, u, "password", "ip-refused", false);
        }
        if (!UserState.ACTIVE.name().equals(u.state)) {
            throw attempts.fail(tenantId, u, "password", u.state.toLowerCase(Locale.ROOT), false);
        }
        if (attempts.locked(u)) {
            throw attempts.fail(tenantId, u, "password", "locked", false);
        }
        if (!match) {
            throw attempts.fail(tenantId, u, "password", "wrong-password", true);
        }
        if (passwords.needsRehash(u.passwordHash)) {
            String rehashed = passwords.hash(password);
            store.tenant(em -> em.createQuery("UPDATE AuthUser u SET u.passwordHash = :h WHERE u.id = :id")
                    .setParameter("h", rehashed).setParameter("id", u.id).executeUpdate());
        }
        Set<String> roles = Sessions.roles(u.roles);
        SessionState state = state(tenantId, u, roles);
        if (state == SessionState.MFA_REQUIRED) {
            // a password step that never got its code is a failure too ("missing OTP", IAM-9)
            int abandoned = store.global(em -> em.createQuery("DELETE FROM AuthSession s WHERE s.tenantId = :t AND s.userId = :u "
                    + "AND s.state = :s").setParameter("t", tenantId).setParameter("u", u.id)
                    .setParameter("s", SessionState.MFA_REQUIRED.name()).executeUpdate());
            if (abandoned > 0 && attempts.countFailure(tenantId, u.id, abandoned)) {
                throw attempts.fail(tenantId, u, "password", "locked", false);
            }
        } else {
            attempts.succeeded(u.id);
        }
        SignIn signIn = sessions.open(tenantId, u.id, roles, state);
        published(AuthEvents.SIGN_IN_SUCCEEDED, tenantId, u.id, "password", state);
        return signIn;
    }

    /** What a session may do after a correct password. */
    private SessionState state(String tenantId, UserEntity u, Set<String> roles) {
        boolean enrolled = factors.values().stream().anyMatch(f -> f == totp ? u.mfaSecret != null : f.enrolled(tenantId, u.id));
        if (enrolled) {
            return SessionState.MFA_REQUIRED;
        }
        return mfaMandatory(roles) ? SessionState.MFA_ENROLMENT_REQUIRED : SessionState.AUTHENTICATED;
    }

    /** Tenant admins must use MFA; reviewers when the tenant says so; employees may (IAM-11). */
    private boolean mfaMandatory(Set<String> roles) {
        if (Roles.privileged(roles)) {
            return true;
        }
        TenantSettingsService s = settings;
        return roles.contains(Roles.REVIEWER) && s != null
                && s.get(REVIEWER_MFA_SETTING).map(TenantSetting::value).map("required"::equalsIgnoreCase).orElse(false);
    }

    @Override
    public Session authenticate(String token) {
        return sessions.validate(token);
    }

    @Override
    public SignIn verifyMfa(String token, String factorId, String code) {
        return secondStep(token, "mfa", (tenantId, u) -> {
            MfaFactor f = factorId == null ? null : factors.get(factorId);
            return f != null && code != null && code.length() <= MAX_INPUT && f.enrolled(tenantId, u.id)
                    && f.verify(tenantId, u.id, code);
        });
    }

    @Override
    public SignIn recover(String token, String recoveryCode) {
        return secondStep(token, "recovery", (tenantId, u) -> {
            if (recoveryCode == null || recoveryCode.length() > MAX_INPUT) {
                return false;
            }
            String hash = Secrets.hash(Secrets.normaliseRecoveryCode(recoveryCode));
            // single use: only the request that deletes the row succeeds
            return store.tenant(em -> em.createQuery("DELETE FROM AuthRecoveryCode r WHERE r.codeHash = :h AND r.userId = :u")
                    .setParameter("h", hash).setParameter("u", u.id).executeUpdate()) == 1;
        });
    }

    private interface Check {
        boolean passes(String tenantId, UserEntity u);
    }

    private SignIn secondStep(String token, String step, Check check) {
        attempts.checkAddress();
        Session s = sessions.validate(token);
        if (s.state() != SessionState.MFA_REQUIRED) {
            throw new AuthException(AuthErrors.MFA_CODE_REJECTED, "This session has no second factor to verify.");
        }
        return asTenant(s, () -> {
            UserEntity u = accounts.byId(s.userId()).orElse(null);
            if (u == null || !UserState.ACTIVE.name().equals(u.state) || attempts.locked(u)
                    || !allowLists.allows(s.tenantId(), clientIp())) {
                sessions.revoke(token);
                throw attempts.fail(s.tenantId(), u, step, "not-allowed", false);
            }
            if (!check.passes(s.tenantId(), u)) {
                AuthException failed = attempts.fail(s.tenantId(), u, step, "wrong-code", true);
                throw failed;
            }
            attempts.succeeded(u.id);
            sessions.revoke(token);
            SignIn signIn = sessions.open(s.tenantId(), u.id, s.roles(), SessionState.AUTHENTICATED);
            published(AuthEvents.SIGN_IN_SUCCEEDED, s.tenantId(), u.id, step, SessionState.AUTHENTICATED);
            return signIn;
        });
    }

    @Override
    public void signOut(String token) {
        Session s;
        try {
            s = sessions.validate(token);
        } catch (AuthException e) {
            return;
        }
        sessions.revoke(token);
        events.publish(MamoriEvent.builder(AuthEvents.SIGNED_OUT).tenant(s.tenantId()).target("user", s.userId())
                .detail("session", s.id()));
    }

    @Override
    public MfaEnrolment beginTotpEnrolment(String token) {
        Session s = sessions.validate(token);
        if (s.state() == SessionState.MFA_REQUIRED) {
            throw new AuthException(AuthErrors.MFA_REQUIRED, "Verify the enrolled second factor first.");
        }
        return asTenant(s, () -> {
            UserEntity u = accounts.byId(s.userId()).orElseThrow(() -> new AuthException(AuthErrors.SESSION_INVALID, "Sign in again."));
            if (u.mfaSecret != null) {
                throw new AuthException(AuthErrors.USER_STATE, "A second factor is enrolled already; a tenant admin can reset it.");
            }
            return totp.begin(s.tenantId(), u.id, issuer, u.loginName);
        });
    }

    @Override
    public MfaConfirmation confirmTotpEnrolment(String token, String code) {
        attempts.checkAddress();
        Session s = sessions.validate(token);
        if (s.state() == SessionState.MFA_REQUIRED) {
            throw new AuthException(AuthErrors.MFA_REQUIRED, "Verify the enrolled second factor first.");
        }
        return asTenant(s, () -> {
            if (code == null || code.length() > MAX_INPUT || !totp.confirm(s.tenantId(), s.userId(), code)) {
                attempts.fail(s.tenantId(), null, "enrol", "wrong-code", false);
                throw new AuthException(AuthErrors.MFA_CODE_REJECTED, "The code does not match the secret being enrolled "
                        + "(or no enrolment was started). Check the device clock and try the next code.");
            }
            List<String> codes = Secrets.newRecoveryCodes();
            Instant now = clock.instant();
            store.tenant(em -> {
                em.createQuery("DELETE FROM AuthRecoveryCode r WHERE r.userId = :u").setParameter("u", s.userId()).executeUpdate();
                for (String code1 : codes) {
                    RecoveryCodeEntity r = new RecoveryCodeEntity();
                    r.codeHash = Secrets.hash(Secrets.normaliseRecoveryCode(code1));
                    r.userId = s.userId();
                    r.createdAt = now;
                    em.persist(r);
                }
                events.publish(MamoriEvent.builder(AuthEvents.MFA_ENROLLED).tenant(s.tenantId()).target("user", s.userId())
                        .detail("factor", TotpFactor.ID));
                return null;
            });
            attempts.succeeded(s.userId());
            sessions.revoke(token);
            return new MfaConfirmation(sessions.open(s.tenantId(), s.userId(), s.roles(), SessionState.AUTHENTICATED), codes);
        });
    }

    @Override
    public SignIn changePassword(String token, char[] current, char[] next) {
        attempts.checkAddress();
        Session s = sessions.validate(token);
        if (s.state() != SessionState.AUTHENTICATED) {
            throw new AuthException(AuthErrors.MFA_REQUIRED, "Complete sign-in (second factor) before changing the password.");
        }
        return asTenant(s, () -> {
            UserEntity u = accounts.byId(s.userId()).orElseThrow(() -> new AuthException(AuthErrors.SESSION_INVALID, "Sign in again."));
            if (current == null || current.length > 1024 || !passwords.verify(current, u.passwordHash)) {
                throw attempts.fail(s.tenantId(), u, "password-change", "wrong-password", true);
            }
            accounts.setPassword(u, next, Sessions.roles(u.roles));
            sessions.revokeAll(s.tenantId(), u.id);
            events.publish(MamoriEvent.builder(AuthEvents.PASSWORD_CHANGED).tenant(s.tenantId()).target("user", u.id));
            return sessions.open(s.tenantId(), u.id, s.roles(), SessionState.AUTHENTICATED);
        });
    }

    @Override
    public void resetPassword(String tenant, String resetToken, char[] next) {
        attempts.checkAddress();
        if (!fits(tenant) || resetToken == null || !Secrets.isToken(resetToken)) {
            throw resetInvalid(null);
        }
        try {
            store.tenants().callAs(tenant, () -> {
                String tenantId = store.tenants().requireTenantId();
                UserEntity u = accounts.takeResetToken(Secrets.hash(resetToken), clock.instant()).orElseThrow(() -> resetInvalid(tenantId));
                accounts.setPassword(u, next, Sessions.roles(u.roles));
                attempts.succeeded(u.id);
                sessions.revokeAll(tenantId, u.id);
                events.publish(MamoriEvent.builder(AuthEvents.PASSWORD_RESET).tenant(tenantId).target("user", u.id));
                return null;
            });
        } catch (TenantException e) {
            throw resetInvalid(null);
        }
    }

    private AuthException resetInvalid(String tenantId) {
        attempts.fail(tenantId, null, "reset", "invalid-token", false);
        return new AuthException(AuthErrors.RESET_TOKEN_INVALID, "The reset token is unknown, used or expired; ask a tenant "
                + "admin for a new one.");
    }

    private <T> T asTenant(Session s, Supplier<T> work) {
        // the session's account acts, whatever the caller's context holds
        ExecutionContext base = ExecutionContext.current().orElseGet(() -> ExecutionContext.builder(Channel.INTERNAL).build());
        return base.withPrincipal(s.principal()).call(() -> store.tenants().callAs(s.tenantId(), work));
    }

    private void published(String type, String tenantId, String userId, String step, SessionState state) {
        events.publish(MamoriEvent.builder(type).tenant(tenantId).target("user", userId).detail("step", step)
                .detail("state", state.name()));
    }

    private static boolean fits(String s) {
        return s != null && !s.isBlank() && s.length() <= MAX_INPUT;
    }

    private static String clientIp() {
        return ExecutionContext.current().flatMap(ExecutionContext::clientIp).orElse(null);
    }

    static void clear(char[] a) {
        if (a != null) {
            Arrays.fill(a, '\0');
        }
    }
}

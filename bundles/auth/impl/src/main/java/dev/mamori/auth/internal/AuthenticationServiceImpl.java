package dev.mamori.auth.internal;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

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
import dev.mamori.auth.internal.store.AccountEntity;
import dev.mamori.auth.spi.MfaFactor;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.TenantException;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;

/**
 * Sign-in of tenant users and platform accounts: password, second factor, recovery codes,
 * enrolment, sign-out, passwords (IAM-8..11, OPS-3, SEC-4, SEC-12). An unknown tenant or account,
 * a wrong password, a locked, deactivated or erased account and an address outside the allow-list
 * all get the same answer after the same bcrypt and database work; only the published event says
 * which it was. Every check of a secret first reserves one of the client address's failures and,
 * where there is an account, a place on its failure counter ({@link Attempts}).
 */
@Component(service = AuthenticationService.class, configurationPid = AuthConfig.PID)
// the one designation of dev.mamori.auth, which every auth component reads: Karaf's config tools (metatype) know it
@Designate(ocd = AuthConfig.class)
public class AuthenticationServiceImpl implements AuthenticationService {
    /** Tenant setting: {@code required} makes reviewers use MFA (IAM-11). */
    static final String REVIEWER_MFA_SETTING = "auth.mfa.reviewer";
    private static final int MAX_INPUT = 256;
    /** How long after sign-in a fully signed-in session may enrol a second factor. */
    static final java.time.Duration ENROL_WITHIN = java.time.Duration.ofMinutes(10);

    private final AuthStore store;
    private final Sessions sessions;
    private final Passwords passwords;
    private final Attempts attempts;
    private final Accounts accounts;
    private final TotpFactor totp;
    private final IpAllowListService allowLists;
    private final EventPublisher events;
    private final Clock clock;
    private final UnitOfWork units;
    private final Map<String, MfaFactor> factors = new ConcurrentHashMap<>();
    private volatile String issuer;

    // mandatory: without the tenants' settings their stricter rules would silently not apply (fail closed)
    @Reference(policy = ReferencePolicy.DYNAMIC)
    volatile TenantSettingsService settings;

    /** Constructor injection of the mandatory parts. */
    @Activate
    public AuthenticationServiceImpl(@Reference AuthStore store, @Reference Sessions sessions, @Reference Passwords passwords,
            @Reference Attempts attempts, @Reference Accounts accounts, @Reference TotpFactor totp,
            @Reference IpAllowListService allowLists, @Reference EventPublisher events, @Reference Clock clock,
            @Reference UnitOfWork units, AuthConfig config) {
        this.store = store;
        this.sessions = sessions;
        this.passwords = passwords;
        this.attempts = attempts;
        this.accounts = accounts;
        this.totp = totp;
        this.allowLists = allowLists;
        this.events = events;
        this.clock = clock;
        this.units = units;
        this.issuer = config.mfa_issuer();
        factors.put(TotpFactor.ID, totp);
    }

    @Modified
    void modified(AuthConfig config) {
        this.issuer = config.mfa_issuer();
    }

    /** Second factors from plugins (WebAuthn, ...); the built-in TOTP cannot be replaced. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(!(" + MfaFactor.FACTOR + "=" + TotpFactor.ID + "))")
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
        return attempts.withAddressBudget(() -> signInOnBudget(c));
    }

    @Override
    public SignIn signIn(Credentials c, String factorId, String code) {
        SignIn first = signIn(c);
        if (first.state() != SessionState.MFA_REQUIRED || code == null || code.isBlank()) {
            return first;
        }
        try {
            return verifyMfa(first.token(), factorId, code);
        } catch (RuntimeException e) {
            // the wrong code counted once; left open, this session would count again as an abandoned password step
            sessions.revoke(first.token());
            throw e;
        }
    }

    private SignIn signInOnBudget(Credentials c) {
        boolean platform = c != null && (c.tenant() == null || c.tenant().isBlank());
        if (c == null || !platform && !fits(c.tenant()) || !fits(c.login())) {
            passwords.verify(new char[0], null);
            throw attempts.fail(null, null, "password", "malformed", false);
        }
        // a missing or absurdly long password is a wrong one, and counts like one (Keycloak's testBrowserMissingPassword)
        char[] password = c.password() == null || c.password().length > 1024 ? new char[0] : c.password();
        if (platform) {
            return passwordStep(Space.PLATFORM, c.login(), password);
        }
        try {
            return store.tenants().callAs(Space.tenantName(c.tenant()),
                    () -> passwordStep(Space.of(store.tenants().requireTenantId()), c.login(), password));
        } catch (TenantException e) {
            // unknown, deleted or inaccessible tenant: the same work and answer as a wrong password
            throw unknownTenant(password);
        }
    }

    /** The database work of a failed password step (lookup, reservation, settlement) on no row, and bcrypt (IAM-9). */
    private AuthException unknownTenant(char[] password) {
        accounts.byLogin(Space.PLATFORM, "");
        attempts.reserve(Space.PLATFORM, null);
        passwords.verify(password, null);
        attempts.reservedFailed(Space.PLATFORM, null);
        return attempts.fail(null, null, "password", "unknown-tenant", false);
    }

    private SignIn passwordStep(Space space, String login, char[] password) {
        AccountEntity u = accounts.byLogin(space, login).orElse(null);
        boolean allowed = addressAllowed(space);
        String refused = u == null ? "unknown-account" : !allowed ? "ip-refused"
                : !UserState.ACTIVE.name().equals(u.state) ? u.state.toLowerCase(Locale.ROOT) : attempts.locked(u) ? "locked" : null;
        // The reservation comes before bcrypt (IAM-9, SEC-12). Every failure does the database work of a wrong
        // password, one reservation and one settlement, on no row when the account may not be tried: no timing tells them apart.
        boolean reserved = attempts.reserve(space, refused == null ? u.id : null);
        if (refused == null && !reserved) {
            refused = "locked";
        }
        boolean match = passwords.verify(password, u == null ? null : u.passwordHash);
        if (refused != null) {
            attempts.reservedFailed(space, null);
            if (refused.equals("ip-refused")) {
                events.publish(target(MamoriEvent.builder(AuthEvents.IP_REFUSED), space, u.id).outcome(MamoriEvent.Outcome.DENIED));
            }
            throw attempts.fail(space, u, "password", refused, false);
        }
        if (!match) {
            attempts.reservedFailed(space, u.id);
            throw attempts.fail(space, u, "password", "wrong-password", false);
        }
        Set<String> roles = Sessions.roles(u.roles);
        SessionState state;
        try {
            if (passwords.needsRehash(u.passwordHash)) {
                String rehashed = passwords.hash(password);
                space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.passwordHash = :h WHERE u.id = :id")
                        .setParameter("h", rehashed).setParameter("id", u.id).executeUpdate());
            }
            state = state(space, u, roles);
        } catch (RuntimeException e) {
            // the password was right, then something broke: the reservation goes back, the count stays
            attempts.reservedSucceeded(space, u.id, false);
            throw e;
        }
        if (!attempts.reservedSucceeded(space, u.id, state != SessionState.MFA_REQUIRED)) {
            // a lock landed while the password was checked: this success does not count
            throw attempts.fail(space, u, "password", "locked", false);
        }
        if (state == SessionState.MFA_REQUIRED) {
            // a password step that never got its code is a failure too ("missing OTP", IAM-9)
            int abandoned = sessions.revokePending(space, u.id);
            if (abandoned > 0 && attempts.countFailure(space, u.id, abandoned)) {
                throw attempts.fail(space, u, "password", "locked", false);
            }
        }
        SignIn signIn = sessions.open(space, u.id, roles, state);
        succeeded(space, u.id, "password", state);
        return signIn;
    }

    private boolean addressAllowed(Space space) {
        return space.platform() ? allowLists.allowsPlatform(clientIp()) : allowLists.allows(space.tenantId(), clientIp());
    }

    /** What a session may do after a correct password. */
    private SessionState state(Space space, AccountEntity u, Set<String> roles) {
        boolean enrolled = u.mfaSecret != null || factors.values().stream()
                .anyMatch(f -> f != totp && f.enrolled(space.tenantId(), u.id));
        if (enrolled) {
            return SessionState.MFA_REQUIRED;
        }
        return mfaMandatory(space, roles) ? SessionState.MFA_ENROLMENT_REQUIRED : SessionState.AUTHENTICATED;
    }

    /** Admins and platform roles must use MFA; reviewers when the tenant says so; employees may (IAM-11). */
    private boolean mfaMandatory(Space space, Set<String> roles) {
        if (space.platform() || Roles.privileged(roles)) {
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
        return secondStep(token, "mfa", (space, u) -> {
            MfaFactor f = factorId == null ? null : factors.get(factorId);
            return f != null && code != null && code.length() <= MAX_INPUT && f.enrolled(space.tenantId(), u.id)
                    && f.verify(space.tenantId(), u.id, code);
        });
    }

    @Override
    public SignIn recover(String token, String recoveryCode) {
        return secondStep(token, "recovery", (space, u) -> recoveryCode != null && recoveryCode.length() <= MAX_INPUT
                && accounts.useRecoveryCode(space, u.id, recoveryCode));
    }

    private interface Check {
        boolean passes(Space space, AccountEntity u);
    }

    private SignIn secondStep(String token, String step, Check check) {
        return attempts.withAddressBudget(() -> {
            Session s = sessions.validate(token);
            if (s.state() != SessionState.MFA_REQUIRED) {
                throw new AuthException(AuthErrors.MFA_CODE_REJECTED, "This session has no second factor to verify.");
            }
            Space space = Space.of(s.tenantId());
            return asSession(s, () -> {
                AccountEntity u = accounts.byId(space, s.userId()).orElse(null);
                if (u == null || !UserState.ACTIVE.name().equals(u.state) || attempts.locked(u) || !addressAllowed(space)
                        || !attempts.reserve(space, u.id)) {
                    sessions.revoke(token);
                    throw attempts.fail(space, u, step, "not-allowed", false);
                }
                boolean passes = false;
                try {
                    passes = check.passes(space, u);
                } finally {
                    if (!passes) {
                        // a wrong code, or a check that broke (fail closed): a failure
                        attempts.reservedFailed(space, u.id);
                    }
                }
                if (!passes) {
                    throw attempts.fail(space, u, step, "wrong-code", false);
                }
                // the pending session is used up by exactly one request, and only while no lock landed
                if (!sessions.consumePending(token)) {
                    // the right code sent twice at once: the other request signed in; this one's reservation goes back
                    attempts.reservedSucceeded(space, u.id, false);
                    throw attempts.fail(space, u, step, "not-allowed", false);
                }
                if (!attempts.reservedSucceeded(space, u.id, true)) {
                    throw attempts.fail(space, u, step, "not-allowed", false);
                }
                SignIn signIn = sessions.open(space, u.id, s.roles(), SessionState.AUTHENTICATED);
                succeeded(space, u.id, step, SessionState.AUTHENTICATED);
                return signIn;
            });
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
        events.publish(target(MamoriEvent.builder(AuthEvents.SIGNED_OUT), Space.of(s.tenantId()), s.userId()).detail("session", s.id()));
    }

    @Override
    public MfaEnrolment beginTotpEnrolment(String token) {
        Session s = sessions.validate(token);
        if (s.state() == SessionState.MFA_REQUIRED) {
            throw new AuthException(AuthErrors.MFA_REQUIRED, "Verify the enrolled second factor first.");
        }
        if (s.state() == SessionState.AUTHENTICATED && s.createdAt().plus(ENROL_WITHIN).isBefore(clock.instant())) {
            // a stolen long-lived session must not bind its thief's device to the account
            throw new AuthException(AuthErrors.MFA_CODE_REJECTED, "Enrolment needs a fresh sign-in: sign in again and enrol "
                    + "within " + ENROL_WITHIN.toMinutes() + " minutes.");
        }
        Space space = Space.of(s.tenantId());
        return asSession(s, () -> {
            AccountEntity u = accounts.byId(space, s.userId())
                    .orElseThrow(() -> new AuthException(AuthErrors.SESSION_INVALID, "Sign in again."));
            if (u.mfaSecret != null) {
                throw new AuthException(AuthErrors.USER_STATE, "A second factor is enrolled already; an admin can reset it.");
            }
            // the pending secret and its event commit together: no device half-bound without a record
            return units.call(() -> {
                MfaEnrolment started = totp.begin(space, u.id, issuer, u.loginName);
                events.publish(target(MamoriEvent.builder(AuthEvents.MFA_ENROLMENT_STARTED), space, u.id).detail("factor", TotpFactor.ID));
                return started;
            });
        });
    }

    @Override
    public MfaConfirmation confirmTotpEnrolment(String token, String code) {
        return attempts.withAddressBudget(() -> confirmOnBudget(token, code));
    }

    private MfaConfirmation confirmOnBudget(String token, String code) {
        Session s = sessions.validate(token);
        if (s.state() == SessionState.MFA_REQUIRED) {
            throw new AuthException(AuthErrors.MFA_REQUIRED, "Verify the enrolled second factor first.");
        }
        Space space = Space.of(s.tenantId());
        return asSession(s, () -> {
            if (code == null || code.length() > MAX_INPUT || !totp.confirm(space, s.userId(), code)) {
                attempts.fail(space, accounts.byId(space, s.userId()).orElse(null), "enrol", "wrong-code", false);
                throw new AuthException(AuthErrors.MFA_CODE_REJECTED, "The code does not match the secret being enrolled "
                        + "(or no enrolment was started). Check the device clock and try the next code.");
            }
            List<String> codes = accounts.newRecoveryCodes(space, s.userId());
            events.publish(target(MamoriEvent.builder(AuthEvents.MFA_ENROLLED), space, s.userId()).detail("factor", TotpFactor.ID));
            attempts.succeeded(space, s.userId());
            sessions.revoke(token);
            return new MfaConfirmation(sessions.open(space, s.userId(), s.roles(), SessionState.AUTHENTICATED), codes);
        });
    }

    @Override
    public SignIn changePassword(String token, char[] current, char[] next) {
        return attempts.withAddressBudget(() -> {
            Session s = sessions.validate(token);
            if (s.state() != SessionState.AUTHENTICATED) {
                throw new AuthException(AuthErrors.MFA_REQUIRED, "Complete sign-in (second factor) before changing the password.");
            }
            Space space = Space.of(s.tenantId());
            return asSession(s, () -> changePassword(space, s, current, next));
        });
    }

    /**
     * A stolen session guesses the current password no more often than a sign-in does (IAM-9):
     * the same reservation on the account's counter and the same lock, which ends every session,
     * the guessing one included. The reservation is held until the new session exists, so no lock
     * lands in between unseen; a success leaves the count of failures as it is (it is no sign-in).
     */
    private SignIn changePassword(Space space, Session s, char[] current, char[] next) {
        AccountEntity u = accounts.byId(space, s.userId()).orElseThrow(() -> new AuthException(AuthErrors.SESSION_INVALID, "Sign in again."));
        if (attempts.locked(u) || !attempts.reserve(space, u.id)) {
            throw attempts.fail(space, u, "password-change", "locked", false);
        }
        boolean match = false;
        try {
            match = current != null && current.length <= 1024 && passwords.verify(current, u.passwordHash);
        } finally {
            if (!match) {
                attempts.reservedFailed(space, u.id);
            }
        }
        if (!match) {
            throw attempts.fail(space, u, "password-change", "wrong-password", false);
        }
        SignIn signIn;
        try {
            // never on a locked account: the new password is stored only while no lock is set
            if (!accounts.setPasswordUnlessLocked(space, u, next)) {
                throw attempts.fail(space, u, "password-change", "locked", false);
            }
            sessions.revokeAll(space, u.id);
            events.publish(target(MamoriEvent.builder(AuthEvents.PASSWORD_CHANGED), space, u.id));
            signIn = sessions.open(space, u.id, s.roles(), SessionState.AUTHENTICATED);
        } catch (RuntimeException e) {
            attempts.reservedSucceeded(space, u.id, false);
            throw e;
        }
        if (!attempts.reservedSucceeded(space, u.id, false)) {
            // a lock landed after all: the new session ends with the others (a later lock revokes it itself)
            sessions.revoke(signIn.token());
            throw attempts.fail(space, u, "password-change", "locked", false);
        }
        return signIn;
    }

    @Override
    public void resetPassword(String tenant, String resetToken, char[] next) {
        attempts.withAddressBudget(() -> {
            resetOnBudget(tenant, resetToken, next);
            return null;
        });
    }

    private void resetOnBudget(String tenant, String resetToken, char[] next) {
        boolean platform = tenant == null || tenant.isBlank();
        if (!platform && !fits(tenant) || resetToken == null || !Secrets.isToken(resetToken)) {
            throw resetInvalid(null);
        }
        if (platform) {
            reset(Space.PLATFORM, resetToken, next);
            return;
        }
        try {
            store.tenants().callAs(Space.tenantName(tenant), () -> {
                reset(Space.of(store.tenants().requireTenantId()), resetToken, next);
                return null;
            });
        } catch (TenantException e) {
            throw resetInvalid(null);
        }
    }

    private void reset(Space space, String resetToken, char[] next) {
        if (!addressAllowed(space)) {
            throw resetInvalid(space);
        }
        String hash = Secrets.hash(resetToken);
        AccountEntity candidate = accounts.resetTokenAccount(space, hash, clock.instant()).orElseThrow(() -> resetInvalid(space));
        // a rejected password leaves the token usable: nothing is used up by a failed attempt
        accounts.checkPassword(space, candidate, next);
        AccountEntity u = accounts.takeResetToken(space, hash, clock.instant()).orElseThrow(() -> resetInvalid(space));
        accounts.setPassword(space, u, next);
        attempts.succeeded(space, u.id);
        sessions.revokeAll(space, u.id);
        events.publish(target(MamoriEvent.builder(AuthEvents.PASSWORD_RESET), space, u.id));
    }

    private AuthException resetInvalid(Space space) {
        attempts.fail(space, null, "reset", "invalid-token", false);
        return new AuthException(AuthErrors.RESET_TOKEN_INVALID, "The reset token is unknown, used or expired; ask an admin "
                + "for a new one.");
    }

    /** Runs as the session's account: in its tenant, or for a platform account in no tenant. */
    private <T> T asSession(Session s, Supplier<T> work) {
        ExecutionContext base = ExecutionContext.current().orElseGet(() -> ExecutionContext.builder(Channel.INTERNAL).build());
        ExecutionContext ctx = base.withPrincipal(s.principal());
        return s.tenantId() == null ? ctx.withTenant(null).call(work) : ctx.call(() -> store.tenants().callAs(s.tenantId(), work));
    }

    private void succeeded(Space space, String accountId, String step, SessionState state) {
        events.publish(target(MamoriEvent.builder(AuthEvents.SIGN_IN_SUCCEEDED), space, accountId).detail("step", step)
                .detail("state", state.name()));
    }

    static MamoriEvent.Builder target(MamoriEvent.Builder b, Space space, String accountId) {
        if (space.platform()) {
            return b.target("platform-account", accountId);
        }
        return b.tenant(space.tenantId()).target("user", accountId);
    }

    private static boolean fits(String s) {
        return s != null && !s.isBlank() && s.length() <= MAX_INPUT && s.codePoints().noneMatch(Character::isISOControl);
    }

    private static String clientIp() {
        return ExecutionContext.current().flatMap(ExecutionContext::clientIp).orElse(null);
    }
}

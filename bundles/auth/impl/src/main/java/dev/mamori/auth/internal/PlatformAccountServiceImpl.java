package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.PlatformAccount;
import dev.mamori.auth.PlatformAccountService;
import dev.mamori.auth.Roles;
import dev.mamori.auth.UserState;
import dev.mamori.auth.internal.password.LockoutPolicy;
import dev.mamori.auth.internal.store.PlatformAccountEntity;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/** Operator and support accounts (OPS-1..3); operators (and the platform itself) manage them. */
@Component(service = PlatformAccountService.class, configurationPid = AuthConfig.PID)
public class PlatformAccountServiceImpl implements PlatformAccountService {
    private static final Pattern LOGIN = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    private final AuthStore store;
    private final Accounts accounts;
    private final Sessions sessions;
    private final EventPublisher events;
    private final Clock clock;
    private volatile Duration resetTtl;
    private volatile LockoutPolicy lockout;

    /** Constructor injection. */
    @Activate
    public PlatformAccountServiceImpl(@Reference AuthStore store, @Reference Accounts accounts, @Reference Sessions sessions,
            @Reference EventPublisher events, @Reference Clock clock, AuthConfig config) {
        this.store = store;
        this.accounts = accounts;
        this.sessions = sessions;
        this.events = events;
        this.clock = clock;
        modified(config);
    }

    @Modified
    final void modified(AuthConfig config) {
        this.resetTtl = Duration.ofMinutes(config.reset_token_minutes());
        this.lockout = Attempts.platformPolicy(config);
    }

    private static void requireOperator() {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
    }

    @Override
    public String create(String loginName, String role) {
        requireOperator();
        String login = loginName == null ? "" : loginName.strip().toLowerCase(Locale.ROOT);
        if (!LOGIN.matcher(login).matches()) {
            throw new AuthException(AuthErrors.INVALID_USER, "A login name is 2-64 characters of a-z, 0-9, '.', '_' and '-'.");
        }
        if (!Roles.PLATFORM_ROLES.contains(role)) {
            throw new AuthException(AuthErrors.INVALID_USER, "A platform account is an operator or support.");
        }
        if (find(login) != null) {
            throw new AuthException(AuthErrors.USER_CONFLICT, "The login name '" + login + "' is taken.");
        }
        Instant now = clock.instant();
        PlatformAccountEntity e = new PlatformAccountEntity();
        e.id = UUID.randomUUID().toString();
        e.loginName = login;
        e.roles = role;
        e.state = UserState.ACTIVE.name();
        e.createdAt = now;
        e.updatedAt = now;
        store.global(em -> {
            em.persist(e);
            em.flush();
            events.publish(MamoriEvent.builder(AuthEvents.PLATFORM_ACCOUNT_CREATED).target("platform-account", e.id).detail("role", role));
            return null;
        });
        return accounts.issueResetToken(Space.PLATFORM, e.id, resetTtl);
    }

    @Override
    public List<PlatformAccount> list() {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SUPPORT, PrincipalKind.SYSTEM);
        return store.global(em -> em.createQuery("SELECT a FROM AuthPlatformAccount a ORDER BY a.loginName", PlatformAccountEntity.class)
                .getResultList()).stream().map(this::toValue).collect(Collectors.toList());
    }

    @Override
    public PlatformAccount unlock(String loginName) {
        return change(loginName, "unlocked", e -> {
            e.failedCount = 0;
            e.lockedAt = null;
        });
    }

    @Override
    public PlatformAccount resetMfa(String loginName) {
        PlatformAccountEntity e = existing(loginName);
        accounts.clearMfa(Space.PLATFORM, e.id);
        PlatformAccount a = change(loginName, "mfa-reset", x -> { });
        sessions.revokeAll(Space.PLATFORM, e.id);
        return a;
    }

    @Override
    public PlatformAccount deactivate(String loginName) {
        PlatformAccount a = change(loginName, "deactivated", e -> e.state = UserState.DEACTIVATED.name());
        sessions.revokeAll(Space.PLATFORM, a.id());
        return a;
    }

    @Override
    public PlatformAccount reactivate(String loginName) {
        return change(loginName, "reactivated", e -> e.state = UserState.ACTIVE.name());
    }

    @Override
    public String forcePasswordReset(String loginName) {
        PlatformAccountEntity e = existing(loginName);
        String token = accounts.issueResetToken(Space.PLATFORM, e.id, resetTtl);
        change(loginName, "password-reset", x -> { });
        sessions.revokeAll(Space.PLATFORM, e.id);
        return token;
    }

    private PlatformAccount change(String loginName, String what, Consumer<PlatformAccountEntity> edit) {
        PlatformAccountEntity found = existing(loginName);
        return store.global(em -> {
            PlatformAccountEntity e = em.find(PlatformAccountEntity.class, found.id);
            edit.accept(e);
            e.updatedAt = clock.instant();
            em.flush();
            events.publish(MamoriEvent.builder(AuthEvents.PLATFORM_ACCOUNT_CHANGED).target("platform-account", e.id).detail("change", what));
            return toValue(e);
        });
    }

    private PlatformAccountEntity existing(String loginName) {
        requireOperator();
        PlatformAccountEntity e = loginName == null ? null : find(loginName.strip().toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new AuthException(AuthErrors.USER_NOT_FOUND, "No platform account '" + Profiles.printable(String.valueOf(loginName)) + "'.");
        }
        return e;
    }

    private PlatformAccountEntity find(String login) {
        return store.global(em -> em.createQuery("SELECT a FROM AuthPlatformAccount a WHERE a.loginName = :n", PlatformAccountEntity.class)
                .setParameter("n", login).getResultList().stream().findFirst().orElse(null));
    }

    private PlatformAccount toValue(PlatformAccountEntity e) {
        // a lock whose time is up is no lock (its row is cleared at the next sign-in)
        return new PlatformAccount(e.id, e.loginName, e.roles, UserState.valueOf(e.state), lockout.locked(e.lockedAt, clock.instant()),
                e.mfaSecret != null,
                e.createdAt, e.updatedAt);
    }
}

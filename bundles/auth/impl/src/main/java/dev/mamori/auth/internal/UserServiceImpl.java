package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.persistence.PersistenceException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Erasure;
import dev.mamori.auth.NewUser;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.auth.UserChange;
import dev.mamori.auth.UserService;
import dev.mamori.auth.UserState;
import dev.mamori.auth.spi.ErasureParticipant;
import dev.mamori.auth.internal.store.UserEntity;
import dev.mamori.platform.db.Transactions;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * A tenant's accounts, managed by its admins (IAM-1..5). Account rows on {@code mamori}, personal
 * data encrypted on {@code mamori-pii}: an action that changes both is one unit of work, so both
 * commit or neither does; should the PII store refuse its commit after the main store committed
 * (with the action's event), the unit's compensation takes back what the main store shows and the
 * platform records that the action did not complete.
 */
@Component(service = UserService.class, configurationPid = AuthConfig.PID)
public class UserServiceImpl implements UserService {
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private static final int MAX_PERMISSIONS = 50;

    private final AuthStore store;
    private final Accounts accounts;
    private final Profiles profiles;
    private final Passwords passwords;
    private final Sessions sessions;
    private final EventPublisher events;
    private final Clock clock;
    private final Attempts attempts;
    private final UnitOfWork units;
    private volatile Duration resetTtl;
    private final ErasureParticipants participants = new ErasureParticipants();

    /** Constructor injection. */
    @Activate
    public UserServiceImpl(@Reference AuthStore store, @Reference Accounts accounts, @Reference Profiles profiles,
            @Reference Passwords passwords, @Reference Sessions sessions, @Reference EventPublisher events,
            @Reference Clock clock, @Reference Attempts attempts, @Reference UnitOfWork units, AuthConfig config) {
        this.units = units;
        this.store = store;
        this.accounts = accounts;
        this.profiles = profiles;
        this.passwords = passwords;
        this.sessions = sessions;
        this.events = events;
        this.clock = clock;
        this.attempts = attempts;
        modified(config);
    }

    @Modified
    final void modified(AuthConfig config) {
        this.resetTtl = Duration.ofMinutes(config.reset_token_minutes());
        participants.require(config.erasure_participants());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addParticipant(ErasureParticipant p, Map<String, Object> props) {
        participants.add(p, props);
    }

    void removeParticipant(ErasureParticipant p, Map<String, Object> props) {
        participants.remove(p, props);
    }

    @Override
    public User create(NewUser n) {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireAdmin(tenantId);
        if (Callers.operator() && hasAdmin(false)) {
            // an operator starts a tenant (its first admin), never adds accounts to a running one (OPS-2)
            throw new MamoriException(PlatformErrors.FORBIDDEN, "The tenant has an admin: accounts are created by its admins.");
        }
        if (n == null) {
            throw invalid("An account needs a login name, an employee number, roles and a password.");
        }
        if (Callers.operator() && n.initialPassword() != null) {
            // a password the operator chose stays known to the operator: after an MFA reset (which operators may do)
            // it would sign in as the account; the person sets their own with the reset token instead (OPS-2)
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Operators create accounts without a password; the person sets "
                    + "it with the reset token.");
        }
        String login = UserFields.loginName(n.loginName());
        String employee = UserFields.employeeNumber(n.employeeNumber());
        Set<String> roles = UserFields.roles(n.roles());
        Profile profile = Profiles.validate(n.profile());
        if (n.initialPassword() != null) {
            passwords.check(roles, n.initialPassword(), login, profile.email());
        }
        String emailIndex = profiles.emailIndex(tenantId, profile.email());
        checkFree(null, login, employee, emailIndex);

        Instant now = clock.instant();
        UserEntity e = new UserEntity();
        e.id = UUID.randomUUID().toString();
        e.loginName = login;
        e.employeeNumber = employee;
        e.emailIndex = emailIndex;
        e.roles = String.join(",", roles);
        e.permissions = "";
        e.state = UserState.ACTIVE.name();
        // without a password the account signs in only after a reset (forcePasswordReset)
        e.passwordHash = n.initialPassword() == null ? null : passwords.hash(n.initialPassword());
        e.passwordChangedAt = n.initialPassword() == null ? null : now;
        e.createdAt = now;
        e.updatedAt = now;
        try {
            return units.call(() -> {
                profiles.save(tenantId, e.id, profile, now);
                User created = store.tenant(em -> {
                    em.persist(e);
                    em.flush();
                    events.publish(MamoriEvent.builder(AuthEvents.USER_CREATED).tenant(tenantId).target("user", e.id)
                            .detail("roles", e.roles));
                    return toValue(tenantId, e);
                });
                // the profile did not commit: an account without its personal data never really existed
                units.onIncomplete(() -> store.tenant(em -> em.createQuery("DELETE FROM AuthUser u WHERE u.id = :id")
                        .setParameter("id", e.id).executeUpdate()));
                return created;
            });
        } catch (RuntimeException ex) {
            // the unit rolled back, the profile with it; a unique key taken meanwhile is a conflict, said as such
            RuntimeException cause = ex instanceof PersistenceException ? Transactions.unwrap(ex) : ex;
            if (cause instanceof PersistenceException) {
                checkFree(null, login, employee, emailIndex);
            }
            throw cause;
        }
    }

    @Override
    public List<User> list() {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireAdmin(tenantId);
        return store.tenant(em -> em.createQuery("SELECT u FROM AuthUser u ORDER BY u.loginName", UserEntity.class).getResultList())
                .stream().map(e -> toValue(tenantId, e)).collect(Collectors.toList());
    }

    @Override
    public Optional<User> find(String userId) {
        String tenantId = store.tenants().requireTenantId();
        if (!Callers.isSelf(tenantId, userId)) {
            Callers.requireAdmin(tenantId);
        }
        return accounts.byId(userId).map(e -> toValue(tenantId, e));
    }

    @Override
    public Optional<User> findByEmployeeNumber(String employeeNumber) {
        String tenantId = store.tenants().requireTenantId();
        if (employeeNumber == null || !UserFields.validEmployeeNumber(employeeNumber)) {
            return Optional.empty();
        }
        Optional<UserEntity> e = store.tenant(em -> em.createQuery("SELECT u FROM AuthUser u WHERE u.employeeNumber = :e", UserEntity.class)
                .setParameter("e", employeeNumber).getResultList().stream().findFirst());
        // who may see the account may learn its number's owner; anyone else learns nothing
        return e.filter(u -> Callers.isSelf(tenantId, u.id) || Callers.isTenantAdmin(tenantId)).map(u -> toValue(tenantId, u));
    }

    @Override
    public Optional<Profile> profile(String userId) {
        String tenantId = store.tenants().requireTenantId();
        if (!Callers.isSelf(tenantId, userId)) {
            // personal data: the tenant's own admins only, never the platform (OPS-2)
            Callers.requireTenantAdmin(tenantId);
        }
        Optional<UserEntity> u = accounts.byId(userId);
        if (u.isEmpty()) {
            return Optional.empty();
        }
        Optional<Profile> profile = UserState.ERASED.name().equals(u.get().state) ? Optional.empty() : profiles.load(tenantId, userId);
        // personal data read (AUD-1), by its owner or an admin: recorded before it is handed out, or not handed out
        profile.ifPresent(p -> events.read(AuthEvents.PROFILE_READ, "user", userId));
        return profile;
    }

    @Override
    public User update(String userId, UserChange change) {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireTenantAdminOrSystem(tenantId);
        UserEntity current = live(userId);
        if (change == null) {
            return toValue(tenantId, current);
        }
        String login = change.loginName() == null ? null : UserFields.loginName(change.loginName());
        String employee = change.employeeNumber() == null ? null : UserFields.employeeNumber(change.employeeNumber());
        Profile profile = change.profile() == null ? null : Profiles.validate(change.profile());
        String emailIndex = profile == null ? current.emailIndex : profiles.emailIndex(tenantId, profile.email());
        checkFree(userId, login, employee, profile == null ? null : emailIndex);
        Set<String> fields = new TreeSet<>();
        if (profile != null) {
            fields.add("profile");
        }
        if (login != null) {
            fields.add("loginName");
        }
        if (employee != null) {
            fields.add("employeeNumber");
        }
        if (fields.isEmpty()) {
            return toValue(tenantId, current);
        }
        String oldLogin = current.loginName;
        String oldEmployee = current.employeeNumber;
        String oldIndex = current.emailIndex;
        // profile and account in one unit of work: the new profile is never there without its event (IAM-4, AUD-1)
        return units.call(() -> {
            if (profile != null) {
                profiles.save(tenantId, userId, profile, clock.instant());
            }
            User changed = change(userId, AuthEvents.USER_UPDATED, ev -> ev.detail("fields", String.join(",", fields)), e -> {
                if (login != null) {
                    e.loginName = login;
                }
                if (employee != null) {
                    e.employeeNumber = employee;
                }
                e.emailIndex = emailIndex;
            });
            // the profile did not commit: the account goes back to what matches the profile it still has
            units.onIncomplete(() -> store.tenant(em -> {
                UserEntity e = em.find(UserEntity.class, userId);
                e.loginName = oldLogin;
                e.employeeNumber = oldEmployee;
                e.emailIndex = oldIndex;
                return null;
            }));
            return changed;
        });
    }

    @Override
    public User setRoles(String userId, Set<String> roles) {
        Callers.requireTenantAdminOrSystem(store.tenants().requireTenantId());
        Set<String> checked = UserFields.roles(roles);
        UserEntity before = live(userId);
        // a password chosen under the ordinary rules may be too weak for an admin (IAM-6): promotion disables it
        boolean promoted = Roles.privileged(checked) && !Roles.privileged(Sessions.roles(before.roles));
        User u = change(userId, AuthEvents.ROLES_CHANGED,
                ev -> ev.detail("from", before.roles).detail("to", String.join(",", checked)).detail("passwordDisabled", promoted),
                e -> {
                    e.roles = String.join(",", checked);
                    if (promoted) {
                        e.passwordHash = null;
                    }
                });
        sessions.revokeAll(Space.of(u.tenantId()), userId);
        return u;
    }

    @Override
    public User setPermissions(String userId, Set<String> permissions) {
        Callers.requireTenantAdminOrSystem(store.tenants().requireTenantId());
        Set<String> checked = ScopedPermission.validate(permissions, MAX_PERMISSIONS);
        UserEntity before = live(userId);
        String joined = String.join(" ", checked);
        if (joined.length() > 4000) {
            throw invalid("Permissions take at most 4000 characters together.");
        }
        User u = change(userId, AuthEvents.PERMISSIONS_CHANGED,
                ev -> ev.detail("from", abbreviated(before.permissions)).detail("to", abbreviated(joined)), e -> e.permissions = joined);
        sessions.revokeAll(Space.of(u.tenantId()), userId);
        return u;
    }

    @Override
    public User deactivate(String userId) {
        Callers.requireTenantAdminOrSystem(store.tenants().requireTenantId());
        live(userId);
        User u = change(userId, AuthEvents.DEACTIVATED, ev -> { }, e -> e.state = UserState.DEACTIVATED.name());
        sessions.revokeAll(Space.of(u.tenantId()), userId);
        return u;
    }

    @Override
    public User reactivate(String userId) {
        Callers.requireTenantAdminOrSystem(store.tenants().requireTenantId());
        live(userId);
        return change(userId, AuthEvents.REACTIVATED, ev -> { }, e -> e.state = UserState.ACTIVE.name());
    }

    @Override
    public User unlock(String userId) {
        Callers.requireAdmin(store.tenants().requireTenantId());
        live(userId);
        return change(userId, AuthEvents.UNLOCKED, ev -> { }, e -> {
            e.failedCount = 0;
            e.lockedAt = null;
        });
    }

    @Override
    public User resetMfa(String userId) {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireAdmin(tenantId);
        live(userId);
        accounts.clearMfa(Space.of(tenantId), userId);
        User u = change(userId, AuthEvents.MFA_RESET, ev -> { }, e -> { });
        sessions.revokeAll(Space.of(tenantId), userId);
        return u;
    }

    @Override
    public String forcePasswordReset(String userId) {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireAdmin(tenantId);
        UserEntity e = live(userId);
        if (!UserState.ACTIVE.name().equals(e.state)) {
            throw new AuthException(AuthErrors.USER_STATE, "Only an active account can have its password reset.");
        }
        if (Callers.operator() && (e.passwordChangedAt != null || hasAdmin(true))) {
            // a token in an operator's hands makes the operator the account (OPS-2): only for an account that never had a
            // password, and only while no admin has taken the tenant over (bootstrap, or a token lost before first use)
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Operators issue reset tokens only while the tenant has no active "
                    + "admin, and only for accounts that never had a password; the tenant's admins reset the others.");
        }
        String token = accounts.issueResetToken(Space.of(tenantId), userId, resetTtl);
        change(userId, AuthEvents.PASSWORD_RESET_ISSUED, ev -> { }, x -> { });
        sessions.revokeAll(Space.of(tenantId), userId);
        return token;
    }

    @Override
    public User erase(String userId, String confirmation) {
        return eraseWithEffects(userId, confirmation).account();
    }

    @Override
    public Erasure eraseWithEffects(String userId, String confirmation) {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireTenantAdminOrSystem(tenantId);
        UserEntity e = live(userId);
        if (!userId.equals(confirmation)) {
            throw invalid("Erasure needs the account id repeated as confirmation; nothing was erased.");
        }
        Map<String, ErasureParticipant> reached = participants.requireAll();
        String employeeNumber = e.employeeNumber;
        // the key first, on its own: once it is gone the data is unreadable whatever happens next (IAM-5)
        profiles.erase(tenantId, userId);
        String pseudonym = "erased-" + userId.substring(0, 8) + userId.substring(9, 13);
        // the rest in one unit of work; should the PII store refuse to delete the (now unreadable) profile,
        // nothing is taken back: the account stays erased, and the platform records the incomplete unit
        return units.call(() -> {
            Map<String, Long> effects = ErasureParticipants.run(reached, tenantId, userId, employeeNumber);
            profiles.delete(userId);
            sessions.revokeAll(Space.of(tenantId), userId);
            return new Erasure(erased(e, pseudonym), effects);
        });
    }

    private User erased(UserEntity e, String pseudonym) {
        return change(e.id, AuthEvents.ERASED, ev -> { }, x -> {
            x.state = UserState.ERASED.name();
            x.loginName = pseudonym;
            x.employeeNumber = null;
            x.emailIndex = null;
            x.passwordHash = null;
            x.mfaSecret = null;
            x.mfaPending = null;
            x.recoveryCodes = null;
            x.resetHash = null;
            x.resetExpiresAt = null;
            x.permissions = "";
        });
    }

    /**
     * Whether the tenant has an ACTIVE account with the tenant-admin role.
     *
     * @param claimed count only admins who have set a password (passwordChangedAt): a person has taken the tenant
     *                over. Locked admins count (anyone can lock an account with wrong passwords, and the operator may
     *                unlock it), and so do admins whose password is disabled by a reset or a promotion (that must
     *                not open a window); deactivated and erased ones do not (no one can act through them).
     */
    private boolean hasAdmin(boolean claimed) {
        String withPassword = claimed ? " AND u.passwordChangedAt IS NOT NULL" : "";
        return store.tenant(em -> em.createQuery("SELECT u.roles FROM AuthUser u WHERE u.state = :s" + withPassword, String.class)
                .setParameter("s", UserState.ACTIVE.name()).getResultList()).stream()
                .anyMatch(r -> Sessions.roles(r).contains(Roles.TENANT_ADMIN));
    }

    /** @return the account, if it exists and is not erased */
    private UserEntity live(String userId) {
        UserEntity e = userId == null || !ID.matcher(userId).matches() ? null : accounts.byId(userId).orElse(null);
        if (e == null) {
            // the answer repeats nothing of the request: the same for another tenant's id and for none
            throw new AuthException(AuthErrors.USER_NOT_FOUND, "No such account in this tenant.");
        }
        if (UserState.ERASED.name().equals(e.state)) {
            throw new AuthException(AuthErrors.USER_STATE, "The account was erased; it cannot be changed.");
        }
        return e;
    }

    private User change(String userId, dev.mamori.platform.event.EventType event, Consumer<MamoriEvent.Builder> details, Consumer<UserEntity> edit) {
        String tenantId = store.tenants().requireTenantId();
        return store.tenant(em -> {
            UserEntity e = em.find(UserEntity.class, userId);
            edit.accept(e);
            e.updatedAt = clock.instant();
            em.flush();
            MamoriEvent.Builder ev = MamoriEvent.builder(event).tenant(tenantId).target("user", userId);
            details.accept(ev);
            events.publish(ev);
            return toValue(tenantId, e);
        });
    }

    private void checkFree(String self, String login, String employee, String emailIndex) {
        store.tenant(em -> {
            for (Object[] probe : new Object[][] {{"loginName", login, "login name"}, {"employeeNumber", employee, "employee number"},
                {"emailIndex", emailIndex, "e-mail address"}}) {
                if (probe[1] == null) {
                    continue;
                }
                List<String> ids = em.createQuery("SELECT u.id FROM AuthUser u WHERE u." + probe[0] + " = :v", String.class)
                        .setParameter("v", probe[1]).getResultList();
                if (ids.stream().anyMatch(id -> !id.equals(self))) {
                    throw new AuthException(AuthErrors.USER_CONFLICT, "The " + probe[2] + " is already used by another account "
                            + "of this tenant.");
                }
            }
            return null;
        });
    }

    private User toValue(String tenantId, UserEntity e) {
        return new User(e.id, tenantId, e.loginName, e.employeeNumber, Sessions.roles(e.roles), ScopedPermission.parse(e.permissions),
                UserState.valueOf(e.state), attempts.locked(e), e.mfaSecret != null, e.createdAt, e.updatedAt);
    }

    private static String abbreviated(String s) {
        String t = s == null || s.isEmpty() ? "-" : s;
        return t.length() > 250 ? t.substring(0, 250) + "…" : t;
    }

    private static AuthException invalid(String message) {
        return new AuthException(AuthErrors.INVALID_USER, message);
    }
}

package dev.mamori.auth.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mamori.auth.AuthenticationService;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.Roles;
import dev.mamori.auth.SignIn;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;

/**
 * A platform operator with password and TOTP on the real auth components ({@link AuthFixture}), for
 * tests of adapters in other packages (the shell's login module): what they may see of it is its
 * sign-in service, its secrets and its failure counter.
 */
public final class EnrolledOperator {
    /** The operator's password. */
    public static final String PASSWORD = "Operator-Pass-2026x";
    private final AuthFixture fx = new AuthFixture(AuthDb.h2(), Map.of());
    private final String login = "op-" + UUID.randomUUID().toString().substring(0, 8);
    private final TotpSupport.Enrolled enrolled;

    /** Creates the account, sets its password with the reset token, enrols TOTP and moves the clock to the next step. */
    public EnrolledOperator() {
        PlatformAccountServiceImpl platform = new PlatformAccountServiceImpl(fx.store, fx.accounts, fx.sessions, fx.events, fx.clock,
                AuthConfigs.of(Map.of()));
        String token = ExecutionContext.builder(Channel.SHELL).principal(Principal.operator("op-test", Set.of(Roles.OPERATOR)))
                .build().call(() -> platform.create(login, Roles.OPERATOR));
        AuthFixture.from(AuthFixture.USER_IP, () -> {
            fx.auth.resetPassword(null, token, PASSWORD.toCharArray());
            return null;
        });
        SignIn first = AuthFixture.from(AuthFixture.USER_IP, () -> fx.auth.signIn(new Credentials(null, login, PASSWORD.toCharArray())));
        enrolled = TotpSupport.enrol(fx, first.token());
        fx.clock.advance(Duration.ofSeconds(30));
    }

    /** @return the real sign-in service */
    public AuthenticationService auth() {
        return fx.auth;
    }

    /** @return the login name */
    public String login() {
        return login;
    }

    /** @return the code of the fixture clock's step */
    public String code() {
        return TotpSupport.code(enrolled.secret(), fx.clock.instant());
    }

    /** @return a code that is not the current one */
    public String wrongCode() {
        return code().equals("000000") ? "000001" : "000000";
    }

    /** @return the account's counter of consecutive failures */
    public int failedCount() {
        return ((Number) AuthDb.query(fx.db.mainDs(), "SELECT failed_count FROM mamori_auth_platform_account WHERE login_name = ?", login)
                .get(0).get("failed_count")).intValue();
    }

    /** @return whether the account is locked */
    public boolean locked() {
        return AuthDb.query(fx.db.mainDs(), "SELECT locked_at FROM mamori_auth_platform_account WHERE login_name = ?", login).get(0)
                .get("locked_at") != null;
    }

    /** @return the account's sessions in the given state */
    public int sessions(dev.mamori.auth.SessionState state) {
        return AuthDb.query(fx.db.mainDs(), "SELECT s.session_id FROM mamori_auth_session s JOIN mamori_auth_platform_account a "
                + "ON a.id = s.user_id WHERE a.login_name = ? AND s.state = ?", login, state.name()).size();
    }
}

package dev.mamori.auth.internal.jaas;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.auth.AuthException;
import dev.mamori.auth.AuthenticationService;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.ShellLockdown;

/**
 * Signs an operator into the Karaf shell with Mamori's platform accounts, second factor included
 * (IAM-10, OPS-3): the password field holds the password, a space, and the current TOTP code. The
 * one sign-in with a code that REST uses too checks it
 * ({@link AuthenticationService#signIn(Credentials, String, String)} — lockout, throttling and events
 * included), and the session it opens for the check is closed at once. Only operators get a shell (support reads
 * metadata over REST, OPS-1), and only while the shell is locked down ({@link ShellLockdown}: a
 * shell that is not would run any code for them). Principals: the login name, {@code operator} and
 * {@code ssh}; never Karaf's {@code admin}.
 */
public class MamoriLoginModule implements LoginModule {
    private static final Logger LOG = LoggerFactory.getLogger(MamoriLoginModule.class);
    private Subject subject;
    private CallbackHandler handler;
    private BundleContext context;
    private final Set<java.security.Principal> principals = new LinkedHashSet<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = callbackHandler;
        this.context = FrameworkUtil.getBundle(MamoriLoginModule.class).getBundleContext();
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("Login: ");
        PasswordCallback password = new PasswordCallback("Password and code: ", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("The shell did not provide a login and password.");
        }
        char[] typed = password.getPassword();
        password.clearPassword();
        if (name.getName() == null || typed == null) {
            throw new FailedLoginException("Sign-in failed.");
        }
        ServiceReference<AuthenticationService> ref = context == null ? null : context.getServiceReference(AuthenticationService.class);
        AuthenticationService auth = ref == null ? null : context.getService(ref);
        try {
            principals.addAll(principals(lockdownGap(context), auth, name.getName(), typed, clientAddress(subject)));
            return true;
        } finally {
            if (auth != null) {
                context.ungetService(ref);
            }
        }
    }

    /**
     * The shell sign-in: refused while the shell is not locked down, without the sign-in service, with
     * a wrong password or code, and for any account but an operator.
     *
     * @param gap      why the shell is not locked down, or empty
     * @param auth     the sign-in service, or null
     * @param name     the login name as typed
     * @param typed    the password, a space and the code; cleared before this returns
     * @param clientIp the SSH client's address, or null
     * @return the principals of the operator's shell session
     */
    static Set<java.security.Principal> principals(Optional<String> gap, AuthenticationService auth, String name, char[] typed,
            String clientIp) throws LoginException {
        try {
            if (gap.isPresent()) {
                // fail closed: a shell that is not locked down would give this account the server's operating-system user
                LOG.warn("Shell sign-in of '{}' refused: the shell is not locked down ({})", safe(name), gap.get());
                throw new LoginException("The shell is not locked down; see the server log.");
            }
            if (auth == null) {
                // fail closed: without the sign-in service nobody signs in this way
                throw new LoginException("Mamori's sign-in service is not available.");
            }
            // the SSH client's address (Karaf puts it into the subject before the login): throttles,
            // the platform allow-list and the events see where an operator signs in from (OPS-3)
            String login = name.strip().toLowerCase(java.util.Locale.ROOT);
            Session s = ExecutionContext.builder(Channel.SHELL).clientIp(clientIp).build().call(() -> signIn(auth, login, typed));
            if (!s.roles().contains(MamoriAction.OPERATOR_ROLE)) {
                // support reads metadata over REST (OPS-1); the shell is the operators' administration surface
                LOG.warn("Shell sign-in of '{}' refused: only operators use the shell (roles {})", safe(login), s.roles());
                throw new FailedLoginException("Sign-in failed.");
            }
            Set<java.security.Principal> out = new LinkedHashSet<>();
            out.add(new UserPrincipal(login));
            out.add(new RolePrincipal(MamoriAction.OPERATOR_ROLE));
            out.add(new RolePrincipal("ssh"));
            return out;
        } catch (AuthException e) {
            throw new FailedLoginException("Sign-in failed.");
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    /**
     * @param typed the password, a space and the code; cleared before this returns
     * @return the platform session the password and code prove (already closed again)
     * @throws AuthException if they prove none
     */
    static Session signIn(AuthenticationService auth, String login, char[] typed) {
        int space = lastSpace(typed);
        if (space < 1 || space == typed.length - 1) {
            Arrays.fill(typed, '\0');
            throw new AuthException(dev.mamori.auth.AuthErrors.INVALID_CREDENTIALS, "Give the password, a space and the current code.");
        }
        char[] secret = Arrays.copyOf(typed, space);
        String code = new String(typed, space + 1, typed.length - space - 1);
        Arrays.fill(typed, '\0');
        try {
            return verify(auth, login, secret, code);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /**
     * Password and code in one step, through the one sign-in with a code that REST uses too (a wrong
     * code counts once and ends the half session); only a fully signed-in platform session counts.
     */
    private static Session verify(AuthenticationService auth, String login, char[] password, String code) {
        SignIn s = auth.signIn(new Credentials(null, login, password), "totp", code);
        try {
            if (s.state() != SessionState.AUTHENTICATED) {
                // an operator must have a second factor; until it is enrolled (over REST) the shell stays closed
                throw new AuthException(dev.mamori.auth.AuthErrors.MFA_REQUIRED, "Enrol TOTP first.");
            }
            return auth.authenticate(s.token());
        } finally {
            auth.signOut(s.token());
        }
    }

    /**
     * @return why the shell is not locked down for Mamori's accounts; a missing check counts as a gap
     */
    static Optional<String> lockdownGap(BundleContext context) {
        ServiceReference<ShellLockdown> ref = context == null ? null : context.getServiceReference(ShellLockdown.class);
        ShellLockdown lockdown = ref == null ? null : context.getService(ref);
        if (lockdown == null) {
            return Optional.of("no shell lockdown check is registered (dev.mamori.shell)");
        }
        try {
            return lockdown.gap();
        } finally {
            context.ungetService(ref);
        }
    }

    private static String safe(String login) {
        return login.length() <= 64 && login.matches("[A-Za-z0-9._@+-]*") ? login : "(unprintable)";
    }

    /** @return the SSH client's address from Karaf's {@code ClientPrincipal}, or null */
    static String clientAddress(Subject subject) {
        return subject.getPrincipals(org.apache.karaf.jaas.boot.principal.ClientPrincipal.class).stream().findFirst()
                .map(dev.mamori.shell.spi.MamoriAction::address).orElse(null);
    }

    private static int lastSpace(char[] a) {
        for (int i = a.length - 1; i >= 0; i--) {
            if (a[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean commit() {
        if (principals.isEmpty()) {
            return false;
        }
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        principals.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        principals.clear();
        return true;
    }
}

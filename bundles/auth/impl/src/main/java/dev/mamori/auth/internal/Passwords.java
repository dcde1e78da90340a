package dev.mamori.auth.internal;

import java.util.Set;

import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.authc.credential.CredentialsMatcher;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.mamori.auth.Roles;
import dev.mamori.auth.internal.password.PasswordHasher;
import dev.mamori.auth.internal.password.PasswordPolicy;
import dev.mamori.auth.internal.password.PasswordRules;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;

/**
 * Passwords of tenant users: the rules for an account's roles, tightened by the tenant (IAM-6),
 * and bcrypt hashing (IAM-7) behind Shiro's {@link CredentialsMatcher} contract.
 */
@Component(service = Passwords.class, configurationPid = AuthConfig.PID)
public class Passwords implements CredentialsMatcher {
    /** Tenant setting: a longer minimum length than the platform's. */
    static final String MIN_LENGTH_SETTING = "auth.password.min-length";
    /** Tenant setting: {@code true} to require a character that is no letter or digit. */
    static final String SPECIAL_SETTING = "auth.password.require-special";

    private final PasswordRules rules = new PasswordRules();
    private volatile PasswordHasher hasher;

    // mandatory: without the tenants' settings their stricter rules would silently not apply (fail closed)
    @Reference(policy = ReferencePolicy.DYNAMIC)
    volatile TenantSettingsService settings;

    /** @param config bcrypt cost */
    @Activate
    public Passwords(AuthConfig config) {
        this(config.bcrypt_cost());
    }

    /** For tests. */
    public Passwords(int cost) {
        this.hasher = new PasswordHasher(cost);
    }

    @Modified
    void modified(AuthConfig config) {
        if (config.bcrypt_cost() != hasher.cost()) {
            hasher = new PasswordHasher(config.bcrypt_cost());
        }
    }

    /**
     * The rules for an account with these roles in the bound tenant: the platform's floor for the
     * role level, tightened (never loosened) by the tenant's settings.
     */
    PasswordPolicy policy(Set<String> roles) {
        PasswordPolicy floor = Roles.privileged(roles) ? PasswordPolicy.PRIVILEGED : PasswordPolicy.ORDINARY;
        TenantSettingsService s = settings;
        // platform accounts (no tenant bound) get the platform's rules only
        if (s == null || dev.mamori.platform.context.ExecutionContext.current().flatMap(
                dev.mamori.platform.context.ExecutionContext::tenantId).isEmpty()) {
            return floor;
        }
        int min = s.get(MIN_LENGTH_SETTING).map(TenantSetting::value).map(Passwords::number).orElse(floor.minLength());
        boolean special = s.get(SPECIAL_SETTING).map(TenantSetting::value).map("true"::equalsIgnoreCase).orElse(false);
        int bounded = Math.max(PasswordPolicy.ORDINARY.minLength(), Math.min(min, floor.maxLength()));
        return floor.tightenedBy(new PasswordPolicy(bounded, floor.maxLength(), special));
    }

    private static int number(String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * @throws dev.mamori.auth.PasswordRejectedException listing every broken rule
     */
    void check(Set<String> roles, char[] password, String login, String email) {
        rules.check(policy(roles), password, login, email);
    }

    String hash(char[] password) {
        return hasher.hash(password);
    }

    /** @return whether the password matches; for a null hash a dummy is checked, taking as long */
    boolean verify(char[] password, String hash) {
        return doCredentialsMatch(new UsernamePasswordToken("", password), new SimpleAuthenticationInfo("", hash, "mamori"));
    }

    boolean needsRehash(String hash) {
        return hasher.needsRehash(hash);
    }

    @Override
    public boolean doCredentialsMatch(AuthenticationToken token, AuthenticationInfo info) {
        Object credentials = info.getCredentials();
        return hasher.verify((char[]) token.getCredentials(), credentials instanceof String ? (String) credentials : null);
    }
}

package dev.mamori.auth.internal.shell;

import java.util.Optional;
import java.util.function.Supplier;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.User;
import dev.mamori.auth.UserService;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.TenantCompleter;
import dev.mamori.tenant.TenantContext;

/**
 * Base of the account commands: an operator acts in one tenant for the declared purpose
 * {@value #PURPOSE_CODE}, which is published as an event each time (OPS-3).
 */
abstract class UserAction extends MamoriAction {
    static final String PURPOSE_CODE = "auth.account-admin";
    /** Why an operator reaches a tenant's accounts. */
    static final PlatformPurpose PURPOSE = PlatformPurpose.of(PURPOSE_CODE,
            "An operator administers a tenant's accounts (bootstrap, unlock, second-factor or password reset).");

    @Reference
    TenantContext tenantContext;
    @Reference
    UserService users;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;

    <T> T inTenant(Supplier<T> work) {
        return tenantContext.callAsPlatform(tenant, PURPOSE, work);
    }

    /** The account by id or login name, in the bound tenant. */
    User account(String idOrLogin) {
        Optional<User> byId = idOrLogin.length() == 36 ? users.find(idOrLogin) : Optional.empty();
        return byId.or(() -> users.list().stream().filter(u -> u.loginName().equalsIgnoreCase(idOrLogin)).findFirst())
                .orElseThrow(() -> new AuthException(AuthErrors.USER_NOT_FOUND, "No account '" + idOrLogin + "' in tenant " + tenant + "."));
    }
}

package dev.mamori.shell.spi;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether Karaf's shell is locked down for Mamori's own accounts (OPS-1, OPS-2, OPS-6, SEC-2): a
 * platform operator's session (or the installation's script key) may run the {@code mamori:*}
 * commands its role allows and nothing else - no Gogo method call on an object, no redirection to a
 * file, no Karaf command of another scope. Karaf enforces that with its command ACLs; this service
 * says whether the ACLs in force actually do, so that Mamori's shell sign-in can refuse to open a
 * shell that is not locked down (fail closed).
 */
@ProviderType
public interface ShellLockdown {
    /** The roles Mamori's shell accounts hold: no command ACL but Mamori's own may grant them. */
    java.util.Set<String> ACCOUNT_ROLES = java.util.Set.of(MamoriAction.OPERATOR_ROLE, MamoriAction.SUPPORT_ROLE, "ssh");

    /**
     * @return empty when the shell is locked down for Mamori's accounts; otherwise why not, in one
     *         sentence that says how to fix it
     */
    Optional<String> gap();
}

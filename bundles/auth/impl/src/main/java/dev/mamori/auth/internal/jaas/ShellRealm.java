package dev.mamori.auth.internal.jaas;

import java.util.HashMap;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.shell.spi.ShellLockdown;

/**
 * The JAAS realm {@value #NAME} for the operator shell (point {@code sshRealm} at it): operators
 * and support sign in with their Mamori platform account, password and TOTP code
 * ({@link MamoriLoginModule}); scripts ({@code bin/mamori}) with the owner-only SSH key of Karaf's
 * key realm ({@code etc/keys.properties}). There is no password-only login, and no login at all
 * while the shell is not locked down ({@link ShellLockdown}).
 */
@Component(service = JaasRealm.class)
public class ShellRealm implements JaasRealm {
    /** Realm name. */
    public static final String NAME = "mamori";
    private static final String PUBLICKEY_MODULE = "org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule";
    private final AppConfigurationEntry[] entries;
    private final ShellLockdown lockdown;

    /**
     * @param context  this bundle's context
     * @param lockdown whether the shell is locked down for Mamori's accounts
     */
    @Activate
    public ShellRealm(BundleContext context, @Reference ShellLockdown lockdown) {
        this.lockdown = lockdown;
        Map<String, Object> mamori = new HashMap<>();
        mamori.put(ProxyLoginModule.PROPERTY_MODULE, MamoriLoginModule.class.getName());
        mamori.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        Map<String, Object> keys = new HashMap<>();
        keys.put(ProxyLoginModule.PROPERTY_MODULE, PUBLICKEY_MODULE);
        keys.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(jaasModules(context)));
        keys.put("users", System.getProperty("karaf.etc", "etc") + "/keys.properties");
        keys.put("detailed.login.exception", "false");
        this.entries = new AppConfigurationEntry[] {
            new AppConfigurationEntry(ProxyLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.SUFFICIENT, mamori),
            new AppConfigurationEntry(ProxyLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.SUFFICIENT, keys)};
    }

    /** The bundle of Karaf's login modules, found by name: its packages are not exported for import. */
    private static long jaasModules(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            if ("org.apache.karaf.jaas.modules".equals(b.getSymbolicName())) {
                return b.getBundleId();
            }
        }
        // fail closed: without the key module, scripts cannot sign in, nobody else is let in by it
        return -1;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getRank() {
        return 0;
    }

    /**
     * Asked at every sign-in. While the shell is not locked down only Mamori's own module is listed,
     * and it refuses: the key realm's accounts (the script key among them) would otherwise get a
     * shell that runs any code.
     */
    @Override
    public AppConfigurationEntry[] getEntries() {
        return lockdown.gap().isPresent() ? new AppConfigurationEntry[] {entries[0]} : entries.clone();
    }
}

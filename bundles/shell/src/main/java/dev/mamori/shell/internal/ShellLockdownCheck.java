package dev.mamori.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;
import dev.mamori.shell.spi.ShellLockdown;

/**
 * Decides whether Karaf's command ACLs lock Mamori's shell accounts into their {@code mamori:*}
 * commands (SEC-2, OPS-6). Gogo evaluates more than commands: a method call on any object
 * ({@code ($.context getBundle 0) loadClass ...}) is the pseudo-command {@code shell:.invoke}, a
 * redirection {@code shell:.redirect}, and every command of another scope ({@code shell:cat},
 * {@code config:list}, {@code shell:exec}) is allowed to every signed-in account unless an ACL
 * names it. So the shell is locked down only when
 * <ul>
 * <li>{@code karaf.secured.command.compulsory.roles} is set (Karaf reads it once, at start) and
 * grants none of {@link #ACCOUNT_ROLES}: every command, pseudo-command and scope without an ACL
 * entry then needs those roles;</li>
 * <li>no ACL outside Mamori's own scope grants one of {@link #ACCOUNT_ROLES}, but for reading the
 * help (global {@code help}) and ending the session ({@code shell:logout}).</li>
 * </ul>
 * The check is UP either way (serving tenants does not depend on the shell); the finding goes to
 * its detail and a WARN line, and Mamori's shell realm refuses every sign-in while it stands.
 */
@Component(service = {ShellLockdown.class, HealthCheck.class, ConfigurationListener.class})
public class ShellLockdownCheck implements ShellLockdown, HealthCheck, ConfigurationListener {
    static final String NAME = "shell-lockdown";
    static final String COMPULSORY = "karaf.secured.command.compulsory.roles";
    static final String ACL_PREFIX = "org.apache.karaf.command.acl.";
    /** Mamori's own scope: its ACL says which role runs which mamori:* command. */
    static final String MAMORI_SCOPE = "mamori";
    /** What an ACL may grant Mamori's accounts besides their own commands: the help (global scope) and ending the session. */
    static final Map<String, Set<String>> ALLOWED = Map.of("*", Set.of("help"), "shell", Set.of("logout"));
    /** Configuration Admin's own keys, not command entries. */
    private static final Set<String> META = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename");
    private static final Logger LOG = LoggerFactory.getLogger(ShellLockdownCheck.class);

    private final ConfigurationAdmin configAdmin;
    private final Supplier<String> compulsory;
    private final Object lock = new Object();
    /** The finding last logged ("" for none); guarded by {@link #lock}. */
    private String logged;

    /** @param configAdmin where the command ACLs are */
    @Activate
    public ShellLockdownCheck(@Reference ConfigurationAdmin configAdmin) {
        this(configAdmin, () -> System.getProperty(COMPULSORY));
    }

    ShellLockdownCheck(ConfigurationAdmin configAdmin, Supplier<String> compulsory) {
        this.configAdmin = configAdmin;
        this.compulsory = compulsory;
        report(gap());
    }

    @Override
    public Optional<String> gap() {
        Map<String, Dictionary<String, Object>> acls;
        try {
            acls = acls();
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            // the ACLs cannot be read: nothing says the shell is locked down
            return Optional.of("the command ACLs cannot be read (" + e.getMessage() + ")");
        }
        return evaluate(compulsory.get(), acls);
    }

    /**
     * @param compulsoryRoles Karaf's {@code karaf.secured.command.compulsory.roles}, or null
     * @param acls            command ACL configurations by scope (the PID after {@value #ACL_PREFIX})
     * @return why the shell is not locked down for Mamori's accounts, or empty
     */
    static Optional<String> evaluate(String compulsoryRoles, Map<String, Dictionary<String, Object>> acls) {
        if (compulsoryRoles == null || compulsoryRoles.isBlank()) {
            return Optional.of("Karaf lets every shell account run what no command ACL names (method calls, cat, "
                    + "config:list, ...): set " + COMPULSORY + " = admin in etc/system.properties and restart");
        }
        List<String> granted = accountRoles(compulsoryRoles);
        if (!granted.isEmpty()) {
            return Optional.of(COMPULSORY + " grants " + String.join(",", granted) + " every command without an ACL entry: "
                    + "set it to admin in etc/system.properties and restart");
        }
        for (Map.Entry<String, Dictionary<String, Object>> acl : new TreeMap<>(acls).entrySet()) {
            String scope = acl.getKey();
            if (MAMORI_SCOPE.equals(scope)) {
                continue;
            }
            for (String key : Collections.list(acl.getValue().keys())) {
                if (META.contains(key) || ALLOWED.getOrDefault(scope, Set.of()).contains(key.strip())) {
                    continue;
                }
                Object value = acl.getValue().get(key);
                List<String> roles = value == null ? List.of() : accountRoles(value.toString());
                if (!roles.isEmpty()) {
                    return Optional.of(ACL_PREFIX + scope + " grants " + String.join(",", roles) + " '" + key.strip()
                            + "': Mamori's accounts may run mamori:* commands only; remove the role there");
                }
            }
        }
        return Optional.empty();
    }

    /** @return the roles of an ACL value ({@code role, role # comment}) that Mamori's accounts hold */
    static List<String> accountRoles(String aclValue) {
        int comment = aclValue.indexOf('#');
        String roles = comment >= 0 ? aclValue.substring(0, comment) : aclValue;
        List<String> out = new ArrayList<>();
        for (String r : roles.split(",")) {
            String role = r.strip();
            // "PrincipalClass:role" names a role of another principal class; the role is what counts
            String name = role.substring(role.lastIndexOf(':') + 1);
            if (ACCOUNT_ROLES.contains(name) && !out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private Map<String, Dictionary<String, Object>> acls() throws IOException, InvalidSyntaxException {
        Map<String, Dictionary<String, Object>> out = new TreeMap<>();
        Configuration[] found = configAdmin.listConfigurations("(service.pid=" + ACL_PREFIX + "*)");
        for (Configuration c : found == null ? new Configuration[0] : found) {
            Dictionary<String, Object> p = c.getProperties();
            if (p != null) {
                out.put(c.getPid().substring(ACL_PREFIX.length()), p);
            }
        }
        return out;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HealthStatus check() {
        Optional<String> gap = gap();
        report(gap);
        // never DOWN: the API does not depend on the shell, and Mamori's shell realm refuses while the gap stands
        return HealthStatus.up(gap.isPresent() ? "not locked down (see the server log)" : "locked down");
    }

    /** An ACL changed at runtime (config:edit, a file in etc/): the log says so at once. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getPid() != null && event.getPid().startsWith(ACL_PREFIX)) {
            report(gap());
        }
    }

    private void report(Optional<String> gap) {
        String now = gap.orElse("");
        synchronized (lock) {
            if (now.equals(logged)) {
                return;
            }
            if (gap.isPresent()) {
                LOG.warn("SHELL NOT LOCKED DOWN (SEC-2, OPS-6): {}. Mamori's shell sign-in refuses every account until it is.", now);
            } else if (logged != null) {
                LOG.info("Shell locked down: Mamori's accounts run mamori:* commands only");
            }
            logged = now;
        }
    }
}

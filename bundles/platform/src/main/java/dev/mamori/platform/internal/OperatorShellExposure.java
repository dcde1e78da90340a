package dev.mamori.platform.internal;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.config.Placeholders;
import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

/**
 * Reports how far the operator shell reaches (OPS-6), wherever Mamori is installed: the SSH
 * server listening beyond loopback, or Karaf's stock {@code karaf} account defined in the realm
 * files. Both are the container owner's settings - in a Karaf that was not built as Mamori's
 * distribution Mamori does not rewrite them - so this check says so, in the health report
 * ({@code operator-shell}) and with a WARN line whenever the findings change: at start, when
 * Karaf's shell configuration changes, and when a health check sees a realm file changed.
 *
 * <p>The check stays UP: an exposed shell is a finding for the owner, not a reason to stop serving
 * tenants. Its public detail names the findings only in short words; addresses, ports and paths go
 * to the log alone.
 */
@Component(immediate = true, service = {HealthCheck.class, ConfigurationListener.class},
        configurationPid = OperatorBootstrap.PID)
public class OperatorShellExposure implements HealthCheck, ConfigurationListener {
    static final String NAME = "operator-shell";
    static final String SHELL_PID = "org.apache.karaf.shell";
    static final String SSH_BUNDLE = "org.apache.karaf.shell.ssh";
    /** Karaf's own default when {@code sshHost} is not configured. */
    static final String SSH_DEFAULT_HOST = "0.0.0.0";
    static final String STOCK_USER = "karaf";
    static final String FINDING_SSH = "ssh beyond loopback";
    static final String FINDING_STOCK_USER = "stock karaf account";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Logger LOG = LoggerFactory.getLogger(OperatorShellExposure.class);

    private final ConfigurationAdmin configAdmin;
    private final BundleContext context;
    private final Path users;
    private final Path keys;
    private final Object lock = new Object();
    /** The findings last logged; guarded by {@link #lock}. */
    private List<String> logged;

    /**
     * @param configAdmin where Karaf's shell configuration lives
     * @param context     to see whether Karaf's SSH server runs
     * @param config      the operator configuration: which realm files to read
     */
    @Activate
    public OperatorShellExposure(@Reference ConfigurationAdmin configAdmin, BundleContext context,
            OperatorBootstrap.Config config) {
        this.configAdmin = configAdmin;
        this.context = context;
        this.users = Paths.get(Placeholders.expand(config.users_file()));
        this.keys = Paths.get(Placeholders.expand(config.keys_file()));
        check();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Karaf's shell configuration changed (sshHost at runtime): the log says so without waiting for a health check. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (SHELL_PID.equals(event.getPid())) {
            check();
        }
    }

    @Override
    public HealthStatus check() {
        Map<String, String> findings = findings();
        List<String> names = new ArrayList<>(findings.keySet());
        synchronized (lock) {
            if (!names.equals(logged)) {
                if (!findings.isEmpty()) {
                    LOG.warn("OPERATOR SHELL EXPOSED (OPS-6): {}", String.join("; ", findings.values()));
                } else if (logged != null) {
                    LOG.info("Operator shell: SSH on loopback only (or off), no stock karaf account");
                }
                logged = names;
            }
        }
        if (findings.isEmpty()) {
            return HealthStatus.up(sshRunning() ? "ssh on loopback only" : "no ssh server");
        }
        return HealthStatus.up("exposed: " + String.join(", ", names) + " (see the server log)");
    }

    /** @return each finding's public name and the log's explanation of it, in a stable order */
    Map<String, String> findings() {
        Map<String, String> out = new LinkedHashMap<>();
        if (sshRunning()) {
            List<String> beyond = beyondLoopback(sshHosts());
            if (!beyond.isEmpty()) {
                out.put(FINDING_SSH, "the SSH server listens on " + String.join(",", beyond) + " port " + sshPort()
                        + ", beyond loopback - set sshHost = 127.0.0.1 in etc/" + SHELL_PID
                        + ".cfg and reach it through an SSH tunnel");
            }
        }
        List<Path> stock = new ArrayList<>();
        for (Path realm : List.of(users, keys)) {
            if (defines(realm, STOCK_USER)) {
                stock.add(realm);
            }
        }
        if (!stock.isEmpty()) {
            out.put(FINDING_STOCK_USER, "Karaf's stock account '" + STOCK_USER + "' is defined in " + stock
                    + " - delete it (jaas:realm-manage --realm karaf; jaas:user-delete karaf; jaas:update)");
        }
        return out;
    }

    private boolean sshRunning() {
        for (Bundle b : context.getBundles()) {
            if (SSH_BUNDLE.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    private Object shellProperty(String key) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + SHELL_PID + ")");
            Dictionary<String, Object> p = found == null || found.length == 0 ? null : found[0].getProperties();
            return p == null ? null : p.get(key);
        } catch (IOException | org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
            return null;
        }
    }

    private String sshHosts() {
        Object host = shellProperty("sshHost");
        return host == null || host.toString().isBlank() ? SSH_DEFAULT_HOST : host.toString();
    }

    private String sshPort() {
        Object port = shellProperty("sshPort");
        return port == null ? "8101" : port.toString();
    }

    /**
     * @param hosts Karaf's {@code sshHost}: addresses or names, comma-separated
     * @return those that are not loopback; a name other than localhost counts as beyond (no DNS)
     */
    static List<String> beyondLoopback(String hosts) {
        List<String> out = new ArrayList<>();
        for (String h : hosts.split(",")) {
            String host = h.trim();
            if (!host.isEmpty() && !loopback(host)) {
                out.add(host);
            }
        }
        return out;
    }

    static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equalsIgnoreCase(h)) {
            return true;
        }
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            // a literal: parsed, never resolved
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** @return whether the realm file defines the user (a line that is not a comment) */
    static boolean defines(Path realm, String user) {
        if (!Files.isRegularFile(realm)) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(realm, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cannot read {} to look for the stock '{}' account: {}", realm, user, e.toString());
            return false;
        }
        return p.containsKey(user);
    }
}

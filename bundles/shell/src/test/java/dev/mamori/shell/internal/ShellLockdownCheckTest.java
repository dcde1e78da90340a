package dev.mamori.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SEC-2, OPS-6: the shell is locked down for Mamori's accounts only when Karaf's ACLs say so")
class ShellLockdownCheckTest {
    private static final Path ETC = Paths.get("../../karaf-assembly/src/main/resources/etc");

    private static Dictionary<String, Object> acl(String... keyValues) {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put(keyValues[i], keyValues[i + 1]);
        }
        return d;
    }

    private static Map<String, Dictionary<String, Object>> stock() {
        Map<String, Dictionary<String, Object>> m = new TreeMap<>();
        m.put("shell", acl("service.pid", "org.apache.karaf.command.acl.shell", "exec", "admin", "new", "admin"));
        m.put("bundle", acl("install", "admin", "start[/.*[-][f].*/]", "admin", "start", "manager"));
        m.put("mamori", acl("*", "operator"));
        return m;
    }

    @Test
    @DisplayName("SEC-2: without compulsory roles every command no ACL names is open: not locked down")
    void compulsoryRolesMissing() {
        for (String none : new String[] {null, "", "  "}) {
            Optional<String> gap = ShellLockdownCheck.evaluate(none, stock());
            assertTrue(gap.isPresent());
            assertTrue(gap.get().contains("karaf.secured.command.compulsory.roles = admin"), gap.get());
        }
        assertEquals(Optional.empty(), ShellLockdownCheck.evaluate("admin", stock()));
    }

    @Test
    @DisplayName("SEC-2: compulsory roles that Mamori's accounts hold open everything to them")
    void compulsoryRolesGrantingAccounts() {
        for (String roles : new String[] {"admin,ssh", "operator", " admin , support # comment"}) {
            assertTrue(ShellLockdownCheck.evaluate(roles, stock()).isPresent(), roles);
        }
        assertEquals(Optional.empty(), ShellLockdownCheck.evaluate("admin, manager # not ours", stock()));
    }

    @Test
    @DisplayName("OPS-6: an ACL outside the mamori scope that grants an account role is a gap; mamori's own and exit/help are not")
    void aclsGrantingAccountRoles() {
        Map<String, Dictionary<String, Object>> acls = stock();
        acls.put("shell", acl(".invoke", "admin, operator"));
        Optional<String> gap = ShellLockdownCheck.evaluate("admin", acls);
        assertTrue(gap.isPresent());
        assertTrue(gap.get().contains("org.apache.karaf.command.acl.shell grants operator '.invoke'"), gap.get());

        acls = stock();
        acls.put("config", acl("list", "viewer, org.apache.karaf.jaas.boot.principal.RolePrincipal:ssh # as a class"));
        assertTrue(ShellLockdownCheck.evaluate("admin", acls).get().contains("grants ssh 'list'"));

        acls = stock();
        acls.put("*", acl("help", "admin,operator"));
        acls.put("shell", acl("logout", "admin, operator", ".invoke", "admin"));
        assertEquals(Optional.empty(), ShellLockdownCheck.evaluate("admin", acls));
        acls.put("*", acl("help", "operator", "tmux", "operator"));
        assertTrue(ShellLockdownCheck.evaluate("admin", acls).get().contains("'tmux'"));
        acls.put("*", acl("help", "operator", "logout", "operator"));
        assertTrue(ShellLockdownCheck.evaluate("admin", acls).get().contains("'logout'"), "logout is allowed in its own scope only");
    }

    @Test
    @DisplayName("SEC-2, OPS-6: the distribution ships compulsory roles and ACLs that lock the shell down")
    void theDistributionIsLockedDown() throws IOException {
        String pom = Files.readString(Paths.get("../../karaf-assembly/pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<karaf\\.secured\\.command\\.compulsory\\.roles>([^<]*)<").matcher(pom);
        assertTrue(m.find(), "karaf-assembly/pom.xml sets the compulsory roles in system.properties");
        Map<String, Dictionary<String, Object>> shipped = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(ETC, "org.apache.karaf.command.acl.*.cfg")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                shipped.put(name.substring(ShellLockdownCheck.ACL_PREFIX.length(), name.length() - 4), load(f));
            }
        }
        // the features carry Mamori's own ACLs (the distribution's etc/ gets them at build time)
        String features = Files.readString(Paths.get("../../features/src/main/feature/feature.xml"), StandardCharsets.UTF_8);
        Matcher config = Pattern.compile("<config name=\"org\\.apache\\.karaf\\.command\\.acl\\.([^\"]+)\">(.*?)</config>",
                Pattern.DOTALL).matcher(features);
        while (config.find()) {
            Properties p = new Properties();
            p.load(new java.io.StringReader(config.group(2)));
            Dictionary<String, Object> d = new Hashtable<>();
            p.forEach((k, v) -> d.put(k.toString(), v.toString().strip()));
            shipped.put(config.group(1), d);
        }
        assertTrue(shipped.keySet().containsAll(List.of("shell", "*", "mamori")), shipped.keySet().toString());
        assertEquals("operator", shipped.get("mamori").get("*"));
        // belt and braces: method calls and redirection are named, not only covered by the compulsory roles
        assertEquals("admin", shipped.get("shell").get(".invoke"));
        assertEquals("admin", shipped.get("shell").get(".redirect"));
        assertEquals(Optional.empty(), ShellLockdownCheck.evaluate(m.group(1), shipped));
    }

    private static Dictionary<String, Object> load(Path f) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        Dictionary<String, Object> d = new Hashtable<>();
        p.forEach((k, v) -> d.put(k.toString(), v.toString().strip()));
        return d;
    }
}

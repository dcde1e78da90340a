package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorBootstrapTest {
    private static final Pattern LINE = Pattern.compile("admin = \\{CRYPT\\}([0-9a-f]+)\\{CRYPT\\},_g_:operators");

    private static final List<String> ROLES = List.of("ssh", "operator");

    @TempDir
    Path dir;

    private Path users() {
        return dir.resolve("etc/users.properties");
    }

    private Path handover() {
        return dir.resolve("data/mamori/initial-operator-password");
    }

    private static String unhex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    @DisplayName("OPS-6/IAM-7: first start creates the operator once, bcrypt-hashed, password handed over in a 0600 file")
    void createsOnce() throws Exception {
        Optional<char[]> created = OperatorBootstrap.ensure(users(), handover(), "admin", "operators", ROLES);
        assertTrue(created.isPresent());
        char[] password = created.get();
        assertEquals(24, password.length);

        assertEquals(new String(password), Files.readString(handover(), StandardCharsets.UTF_8));
        assertEquals("rw-------", mode(handover()));
        assertEquals("rw-------", mode(users()));

        String content = Files.readString(users(), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains(new String(password)), "the plain password never reaches the realm file");
        List<String> lines = Files.readAllLines(users(), StandardCharsets.ISO_8859_1);
        assertEquals(2, lines.size());
        // the group first: on a stock Karaf nothing else defines it, and the account without it has no roles
        assertEquals("_g_\\:operators = group,ssh,operator", lines.get(0));
        Matcher m = LINE.matcher(lines.get(1));
        assertTrue(m.matches(), lines.get(1));
        String bcrypt = unhex(m.group(1));
        assertTrue(bcrypt.startsWith("$2a$12$"), bcrypt);
        assertTrue(OpenBSDBCrypt.checkPassword(bcrypt, password));
        assertFalse(OpenBSDBCrypt.checkPassword(bcrypt, "wrong-password".toCharArray()));

        byte[] usersBefore = Files.readAllBytes(users());
        // the operator read and removed the handover file; a restart must neither recreate it nor touch the account
        Files.delete(handover());
        assertEquals(Optional.empty(), OperatorBootstrap.ensure(users(), handover(), "admin", "operators", ROLES));
        assertArrayEquals(usersBefore, Files.readAllBytes(users()));
        assertFalse(Files.exists(handover()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin = {CRYPT}00{CRYPT},_g_:operators", "admin=secret,admin", "admin\t= x", "   admin = x"})
    @DisplayName("OPS-6: an existing operator account is left alone and no password file appears")
    void existingAccount(String line) throws Exception {
        Files.createDirectories(users().getParent());
        Files.write(users(), List.of("# Karaf users", line), StandardCharsets.ISO_8859_1);
        byte[] before = Files.readAllBytes(users());
        assertEquals(Optional.empty(), OperatorBootstrap.ensure(users(), handover(), "admin", "operators", ROLES));
        assertArrayEquals(before, Files.readAllBytes(users()));
        assertFalse(Files.exists(handover()));
    }

    @Test
    @DisplayName("OPS-6: a commented-out or merely prefixed name is not the account; other lines are kept in order")
    void lookalikesDoNotCount() throws Exception {
        Files.createDirectories(users().getParent());
        List<String> existing = List.of("# admin = old", "administrator = x,_g_:operators", "karaf = y,_g_:admingroup",
                "_g_\\:admingroup = group,admin");
        Files.write(users(), existing, StandardCharsets.ISO_8859_1);
        Optional<char[]> created = OperatorBootstrap.ensure(users(), handover(), "admin", "operators", ROLES);
        assertTrue(created.isPresent());
        List<String> lines = Files.readAllLines(users(), StandardCharsets.ISO_8859_1);
        assertEquals(existing, lines.subList(0, 4));
        assertEquals(6, lines.size());
        assertEquals("_g_\\:operators = group,ssh,operator", lines.get(4));
        assertTrue(LINE.matcher(lines.get(5)).matches(), lines.get(5));
    }

    @Test
    @DisplayName("OPS-6: a group the realm defines already (the distribution's, or the owner's) is not redefined")
    void existingGroupKept() throws Exception {
        Files.createDirectories(users().getParent());
        Files.write(users(), List.of("_g_\\:operators = group,ssh,operator,viewer"), StandardCharsets.ISO_8859_1);
        assertTrue(OperatorBootstrap.ensure(users(), handover(), "admin", "operators", ROLES).isPresent());
        List<String> lines = Files.readAllLines(users(), StandardCharsets.ISO_8859_1);
        assertEquals(2, lines.size());
        assertEquals("_g_\\:operators = group,ssh,operator,viewer", lines.get(0));
        assertTrue(LINE.matcher(lines.get(1)).matches(), lines.get(1));
    }

    @Test
    @DisplayName("IAM-7: a clear-text realm (stock Karaf: encryption.enabled = false, or nothing) is switched to bcrypt; "
            + "a hashing realm is left alone")
    void realmToBcrypt() {
        java.util.Hashtable<String, Object> stock = new java.util.Hashtable<>();
        stock.put("encryption.enabled", "false");
        stock.put("encryption.name", "basic");
        assertEquals("true", OperatorBootstrap.realmChanges(stock).get("encryption.enabled"));
        assertEquals("bcrypt", OperatorBootstrap.realmChanges(stock).get("encryption.algorithm"));
        assertEquals("spring-security-crypto", OperatorBootstrap.realmChanges(stock).get("encryption.name"));
        assertEquals("hexadecimal", OperatorBootstrap.realmChanges(stock).get("encryption.encoding"));
        assertEquals(OperatorBootstrap.BCRYPT_REALM, OperatorBootstrap.realmChanges(new java.util.Hashtable<>()));
        java.util.Hashtable<String, Object> hashing = new java.util.Hashtable<>(stock);
        hashing.put("encryption.enabled", "true");
        assertEquals(java.util.Map.of(), OperatorBootstrap.realmChanges(hashing));
        hashing.putAll(OperatorBootstrap.BCRYPT_REALM);
        assertEquals(java.util.Map.of(), OperatorBootstrap.realmChanges(hashing));
    }

    @Test
    @DisplayName("SEC-7: a user name with properties metacharacters is escaped and recognised on the next start")
    void escapedName() throws Exception {
        assertTrue(OperatorBootstrap.ensure(users(), handover(), "ops admin", "operators", ROLES).isPresent());
        String line = Files.readAllLines(users(), StandardCharsets.ISO_8859_1).get(1);
        assertTrue(line.startsWith("ops\\ admin = {CRYPT}"), line);
        assertEquals(Optional.empty(), OperatorBootstrap.ensure(users(), handover(), "ops admin", "operators", ROLES));
    }

    @Test
    @DisplayName("IAM-7: hex() is lower-case, two digits per byte")
    void hex() {
        assertEquals("00017f80ff", OperatorBootstrap.hex(new byte[] {0, 1, 0x7f, (byte) 0x80, (byte) 0xff}));
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("OPS-6: the operator gets an SSH key for scripts: private key owner-only, public key in the realm, made once")
    void sshKeyForScripts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path keys = tmp.resolve("keys.properties");
        java.nio.file.Path key = tmp.resolve("data/operator-ssh-key");
        java.nio.file.Files.writeString(keys, "# no keys shipped\n");
        java.nio.file.Path users = tmp.resolve("users.properties");
        java.nio.file.Files.writeString(users, "_g_\\:operators = group,operator,ssh\n");
        org.junit.jupiter.api.Assertions.assertTrue(OperatorBootstrap.ensureSshKey(keys, key, "admin", "operators", users));
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.readString(keys).contains("_g_\\:operators = group,operator,ssh"),
                "the group's roles (ssh to log in) are defined in the key realm too");
        org.junit.jupiter.api.Assertions.assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(key)));
        String pem = java.nio.file.Files.readString(key);
        org.junit.jupiter.api.Assertions.assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----"), pem);
        String line = java.nio.file.Files.readAllLines(keys).stream().filter(l -> l.startsWith("admin")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(line.endsWith(",_g_:operators"), line);
        byte[] blob = java.util.Base64.getDecoder().decode(line.substring(line.indexOf('=') + 1, line.indexOf(',')).strip());
        // SSH wire format: string "ecdsa-sha2-nistp256", string "nistp256", string Q
        org.junit.jupiter.api.Assertions.assertEquals("ecdsa-sha2-nistp256", new String(blob, 4, 19, java.nio.charset.StandardCharsets.US_ASCII));
        // the public key in the realm belongs to the private key on disk
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(sec1.getPublicKey().getBytes(),
                java.util.Arrays.copyOfRange(blob, blob.length - 65, blob.length));
        org.junit.jupiter.api.Assertions.assertFalse(OperatorBootstrap.ensureSshKey(keys, key, "admin", "operators", users), "once");
        org.junit.jupiter.api.Assertions.assertEquals(1, java.nio.file.Files.readAllLines(keys).stream().filter(l -> l.startsWith("admin")).count());
    }
}

package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @Test
    @DisplayName("IAM-14: generated passwords have the asked length, avoid look-alike characters and differ")
    void passwords() {
        char[] p = Secrets.password(64);
        assertEquals(64, p.length);
        String s = new String(p);
        assertFalse(s.matches(".*[0O1lI].*"), s);
        assertFalse(s.matches(".*[^A-Za-z2-9].*"), s);
        assertNotEquals(s, new String(Secrets.password(64)));
        assertEquals(16, Secrets.bytes(16).length);
    }

    @Test
    @DisplayName("IAM-14: writeOwnerOnly creates parents, writes 0600, and narrows an existing wider file")
    void ownerOnly(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("a/b/secret");
        Secrets.writeOwnerOnly(target, new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));

        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Secrets.writeOwnerOnly(target, new byte[] {3});
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of("secret"), files.map(f -> f.getFileName().toString()).collect(Collectors.toList()));
        }
    }
}

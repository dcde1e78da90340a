package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPS-6: what counts as an exposed operator shell (the container test checks the report and the log). */
class OperatorShellExposureTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("OPS-6: SSH addresses beyond loopback are found; names other than localhost count as beyond (no DNS)")
    void ops6_beyondLoopback() {
        assertEquals(List.of(), OperatorShellExposure.beyondLoopback("127.0.0.1"));
        assertEquals(List.of(), OperatorShellExposure.beyondLoopback("127.0.0.1, ::1,localhost,[::1]"));
        assertEquals(List.of(), OperatorShellExposure.beyondLoopback("127.8.9.10"));
        assertEquals(List.of("0.0.0.0"), OperatorShellExposure.beyondLoopback("0.0.0.0"));
        assertEquals(List.of("::"), OperatorShellExposure.beyondLoopback("127.0.0.1,::"));
        assertEquals(List.of("10.0.0.5"), OperatorShellExposure.beyondLoopback("10.0.0.5"));
        assertEquals(List.of("ops.example.com"), OperatorShellExposure.beyondLoopback("ops.example.com"));
        assertEquals(List.of("999.0.0.1"), OperatorShellExposure.beyondLoopback("999.0.0.1"));
    }

    @Test
    @DisplayName("OPS-6: the stock karaf account counts when a realm line defines it, not when commented out or a look-alike")
    void ops6_stockAccount() throws Exception {
        Path users = dir.resolve("users.properties");
        assertFalse(OperatorShellExposure.defines(users, "karaf"), "no file, no account");
        Files.write(users, List.of("#karaf = karaf,_g_:admingroup", "karafadmin = x", "_g_\\:admingroup = group,admin"),
                StandardCharsets.ISO_8859_1);
        assertFalse(OperatorShellExposure.defines(users, "karaf"));
        Files.write(users, List.of("# stock", "  karaf = karaf,_g_:admingroup"), StandardCharsets.ISO_8859_1);
        assertTrue(OperatorShellExposure.defines(users, "karaf"));
        Files.write(users, List.of("karaf=AAAAB3NzaC1kc3MAAACBAP1,_g_:admingroup"), StandardCharsets.ISO_8859_1);
        assertTrue(OperatorShellExposure.defines(users, "karaf"), "a key in keys.properties counts too");
    }
}

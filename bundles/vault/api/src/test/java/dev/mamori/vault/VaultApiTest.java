package dev.mamori.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VaultApiTest {

    @Test
    @DisplayName("CRY-3: one data key per tenant and purpose: records, attachments, backup, audit")
    void purposes() {
        assertEquals(List.of("records", "attachments", "backup", "audit"),
                java.util.Arrays.stream(KeyPurpose.values()).map(KeyPurpose::id).toList());
        assertSame(KeyPurpose.BACKUP, KeyPurpose.fromId("Backup"));
        assertThrows(IllegalArgumentException.class, () -> KeyPurpose.fromId("pii"));
    }

    @Test
    @DisplayName("CRY-3: vault errors carry stable codes for REST problem types and the shell")
    void codes() {
        assertEquals("vault-sealed", new VaultSealedException("m").code());
        assertEquals("decryption-failed", new DecryptionFailedException("m").code());
        assertEquals("key-destroyed", new KeyDestroyedException("m").code());
        assertEquals("unknown-key", new UnknownKeyException("m").code());
        RuntimeException cause = new IllegalStateException("x");
        VaultSealedException sealed = new VaultSealedException("locked", cause);
        assertSame(cause, sealed.getCause());
        assertEquals("locked", sealed.getMessage());
        assertInstanceOf(VaultException.class, new DecryptionFailedException("m", cause));
        assertEquals("escrow-stale", new VaultException(VaultErrors.ESCROW_STALE, "m").code());
        VaultException badIndex = new VaultException(VaultErrors.INVALID_INDEX_INPUT, "m");
        assertEquals("invalid-index-input", badIndex.code());
        assertEquals(dev.mamori.platform.error.ErrorKind.INVALID, badIndex.kind(), "a bad blind index input is the caller's error (400)");
        assertEquals(dev.mamori.platform.error.ErrorKind.UNAVAILABLE, new VaultSealedException("sealed").kind());
        assertEquals(java.time.Duration.ofSeconds(30), new VaultSealedException("sealed").retryAfter().orElseThrow(),
                "a sealed vault tells callers when to retry (503 with Retry-After)");
    }
}

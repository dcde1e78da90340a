package dev.mamori.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    @DisplayName("CRY-3: signing purposes are open, dotted names a capability declares; anything else is refused")
    void signingPurposes() {
        assertEquals("audit.checkpoint", SigningPurpose.of("audit.checkpoint").id());
        assertEquals(SigningPurpose.of("it-plugin.note"), SigningPurpose.of("it-plugin.note"));
        for (String bad : new String[] {null, "", "audit", "Audit.checkpoint", "audit.", ".audit", "audit..x", "audit checkpoint",
                "audit.check_point", "1audit.x", "a." + "x".repeat(63)}) {
            assertThrows(IllegalArgumentException.class, () -> SigningPurpose.of(bad), String.valueOf(bad));
            assertFalse(SigningPurpose.valid(bad));
        }
        assertEquals("signing-purpose-undeclared", new VaultException(VaultErrors.SIGNING_PURPOSE_UNDECLARED, "m").code());
        assertEquals(dev.mamori.platform.error.ErrorKind.FORBIDDEN, VaultErrors.SIGNING_REFUSED.kind());
    }

    @Test
    @DisplayName("AUD-3: a public key's C2SP signed-note key ID and verifier key are Go's sumdb/note ones")
    void noteKeys() {
        // golang.org/x/mod/sumdb/note note_test.go: two verifier keys, name+keyhash+base64(0x01 || public key)
        for (String vkey : List.of("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop")) {
            String[] f = vkey.split("\\+");
            byte[] typed = java.util.Base64.getDecoder().decode(f[2]);
            assertEquals(1, typed[0], "Ed25519");
            SigningPublicKey k = new SigningPublicKey(VaultSigner.PLATFORM, SigningPurpose.of("audit.checkpoint"), "id", 1,
                    KeyInfo.State.ACTIVE, java.util.Arrays.copyOfRange(typed, 1, 33), java.time.Instant.EPOCH, null);
            assertEquals(Integer.parseUnsignedInt(f[1], 16), k.noteKeyHash(f[0]));
            assertEquals(vkey, k.noteVerifierKey(f[0]));
        }
        SigningPublicKey k = new SigningPublicKey("t", SigningPurpose.of("audit.checkpoint"), "id", 1, KeyInfo.State.ACTIVE,
                new byte[32], java.time.Instant.EPOCH, null);
        for (String bad : new String[] {null, "", "a+b", "a b", "a\tb", "a\u00a0b", "a\u2003b"}) {
            assertThrows(IllegalArgumentException.class, () -> k.noteKeyHash(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> new SigningPublicKey("t", SigningPurpose.of("a.b"), "id", 1,
                KeyInfo.State.ACTIVE, new byte[31], java.time.Instant.EPOCH, null));
        assertThrows(IllegalArgumentException.class, () -> new VaultSignature("id", 1, new byte[63]));
        assertThrows(IllegalArgumentException.class, () -> new VaultSignature("id", 0, new byte[64]));
        byte[] raw = new byte[64];
        VaultSignature sig = new VaultSignature("id", 2, raw);
        raw[0] = 1;
        assertEquals(0, sig.signature()[0], "the signature bytes are copied");
        assertEquals(new VaultSignature("id", 2, new byte[64]), sig);
    }
}

package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.UnknownKeyException;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

class KeystoreKeyProviderTest {
    private static final char[] PASS = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("keys").resolve("master.bcfks");
    }

    @Test
    @DisplayName("CRY-3: the first start creates the keystore (owner-only) with one random AES-256 master key")
    void create() throws Exception {
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            assertTrue(p.available());
            assertEquals("keystore", p.id());
            assertTrue(p.currentKekId().matches("kek-1-[0-9a-f]{8}"), p.currentKekId());
            assertEquals(List.of(p.currentKekId()), p.kekIds());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())));
            assertEquals(32, kekBytes(p.currentKekId()).length);
            try (Stream<Path> files = Files.list(file().getParent())) {
                assertEquals(List.of(file()), files.toList(), "no temporary files left");
            }
        }
    }

    @Test
    @DisplayName("CRY-3: a missing keystore seals when creation is not allowed, and nothing is created")
    void missingSeals() {
        VaultSealedException e = assertThrows(VaultSealedException.class, () -> new KeystoreKeyProvider(file(), PASS, false));
        assertEquals("vault-sealed", e.code());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(file()));
    }

    @Test
    @DisplayName("CRY-3: reopening with the same passphrase finds the same master key and unwraps what was wrapped")
    void reopen() {
        byte[] dek = Bytes.random(1, 32);
        WrappedKey w;
        String kek;
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            kek = p.currentKekId();
            w = p.wrap(dek);
            assertEquals(kek, w.kekId());
            assertEquals(40, w.length());
        }
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(kek, p.currentKekId());
            assertArrayEquals(dek, p.unwrap(w));
        }
    }

    @Test
    @DisplayName("CRY-3: a wrong passphrase seals with a clear message; the file is untouched")
    void wrongPassphrase() throws Exception {
        new KeystoreKeyProvider(file(), PASS, true).close();
        byte[] before = Files.readAllBytes(file());
        VaultSealedException e = assertThrows(VaultSealedException.class,
                () -> new KeystoreKeyProvider(file(), "wrong".toCharArray(), true));
        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file()), "creation must never overwrite an existing keystore");
        assertThrows(VaultSealedException.class, () -> new KeystoreKeyProvider(file(), new char[0], false));
    }

    @Test
    @DisplayName("CRY-3: a corrupt keystore (flipped byte, truncated, garbage, empty) seals, never a fallback")
    void corruptSeals() throws Exception {
        new KeystoreKeyProvider(file(), PASS, true).close();
        byte[] good = Files.readAllBytes(file());
        List<byte[]> bads = List.of(
                Bytes.flip(good, good.length * 4),
                Bytes.flip(good, good.length * 8 - 1),
                Bytes.slice(good, 0, good.length / 2),
                Bytes.random(3, good.length),
                "not a keystore".getBytes(StandardCharsets.US_ASCII),
                new byte[0]);
        for (byte[] bad : bads) {
            Files.write(file(), bad);
            assertThrows(VaultSealedException.class, () -> new KeystoreKeyProvider(file(), PASS, true));
            assertArrayEquals(bad, Files.readAllBytes(file()));
        }
    }

    @Test
    @DisplayName("CRY-3: a keystore without master key entries seals")
    void emptyKeystoreSeals() throws Exception {
        KeyStore ks = KeyStore.getInstance("BCFKS", new BouncyCastleProvider());
        ks.load(null, null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ks.store(out, PASS);
        Files.createDirectories(file().getParent());
        Files.write(file(), out.toByteArray());
        VaultSealedException e = assertThrows(VaultSealedException.class, () -> new KeystoreKeyProvider(file(), PASS, false));
        assertTrue(e.getMessage().contains("no master key"), e.getMessage());
    }

    @Test
    @DisplayName("CRY-3: rotation adds a new current master key; keys wrapped by the old one still unwrap, also after a restart")
    void rotate() {
        byte[] dek = Bytes.random(2, 32);
        WrappedKey old;
        String first;
        String second;
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            first = p.currentKekId();
            old = p.wrap(dek);
            second = p.rotate();
            assertNotEquals(first, second);
            assertTrue(second.startsWith("kek-2-"), second);
            assertEquals(second, p.currentKekId());
            assertEquals(List.of(first, second), p.kekIds());
            assertArrayEquals(dek, p.unwrap(old));
            WrappedKey fresh = p.wrap(dek);
            assertEquals(second, fresh.kekId());
            assertFalse(Arrays.equals(old.bytes(), fresh.bytes()));
            assertArrayEquals(dek, p.unwrap(fresh));
            assertTrue(p.rotate().startsWith("kek-3-"));
        }
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(3, p.kekIds().size());
            assertTrue(p.currentKekId().startsWith("kek-3-"));
            assertArrayEquals(dek, p.unwrap(old));
            WrappedKey rewrapped = p.rewrap(old);
            assertEquals(p.currentKekId(), rewrapped.kekId());
            assertArrayEquals(dek, p.unwrap(rewrapped));
            assertSame(rewrapped, p.rewrap(rewrapped));
        }
    }

    @Test
    @DisplayName("CRY-3: a failed rotation (keystore cannot be written) changes nothing")
    void rotateFailure() throws Exception {
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            String first = p.currentKekId();
            byte[] before = Files.readAllBytes(file());
            // a non-empty directory where the file was: the atomic rename fails, even for root
            Files.delete(file());
            Files.createDirectories(file().resolve("blocker"));
            VaultException e = assertThrows(VaultException.class, p::rotate);
            assertEquals("keystore-write-failed", e.code());
            assertEquals(first, p.currentKekId());
            assertEquals(List.of(first), p.kekIds());
            Files.delete(file().resolve("blocker"));
            Files.delete(file());
            Files.write(file(), before);
            String second = p.rotate();
            assertTrue(second.startsWith("kek-2-"), "the failed version number is reused: " + second);
            assertEquals(List.of(first, second), p.kekIds());
        }
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertEquals(List.of(file()), files.toList(), "no temporary files left");
        }
    }

    @Test
    @DisplayName("CRY-3: unknown master key ids and tampered wrapped keys are refused with typed errors")
    void unwrapErrors() {
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            WrappedKey w = p.wrap(Bytes.random(3, 32));
            assertThrows(UnknownKeyException.class, () -> p.unwrap(new WrappedKey("kek-9-00000000", w.bytes())));
            assertThrows(DecryptionFailedException.class, () -> p.unwrap(new WrappedKey(w.kekId(), Bytes.flip(w.bytes(), 17))));
        }
        // a keystore created anew (the old one lost) has a different KEK id even for version 1
        try (KeystoreKeyProvider q = new KeystoreKeyProvider(dir.resolve("other.bcfks"), PASS, true)) {
            try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
                assertNotEquals(p.currentKekId(), q.currentKekId());
                WrappedKey w = p.wrap(new byte[32]);
                assertThrows(UnknownKeyException.class, () -> q.unwrap(w));
            }
        }
    }

    @Test
    @DisplayName("CRY-3: close() seals: every operation fails closed with vault-sealed")
    void closeSeals() {
        KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true);
        WrappedKey w = p.wrap(new byte[32]);
        p.close();
        assertFalse(p.available());
        KeyProvider sealed = p;
        assertThrows(VaultSealedException.class, sealed::currentKekId);
        assertThrows(VaultSealedException.class, () -> sealed.wrap(new byte[32]));
        assertThrows(VaultSealedException.class, () -> sealed.unwrap(w));
        assertThrows(VaultSealedException.class, sealed::rotate);
        assertThrows(VaultSealedException.class, () -> sealed.rewrap(w));
        assertTrue(p.toString().contains("sealed"));
        p.close();
    }

    @Test
    @DisplayName("CRY-3: the provider copies the passphrase: the caller may clear its array at once")
    void passphraseCopied() {
        char[] pass = PASS.clone();
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), pass, true)) {
            Zeroize.wipe(pass);
            p.rotate();
        }
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(2, p.kekIds().size());
        }
    }

    @Test
    @DisplayName("CRY-3: neither the keystore file nor wrapped keys contain a master key or a data key in clear")
    void noKeyMaterialInClear() throws Exception {
        byte[] dek = Bytes.random(4, 32);
        WrappedKey w;
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            p.rotate();
            w = p.wrap(dek);
            assertFalse(w.toString().contains(java.util.HexFormat.of().formatHex(w.bytes())));
        }
        byte[] raw = Files.readAllBytes(file());
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            for (String id : p.kekIds()) {
                byte[] kek = kekBytes(id);
                assertNoWindow(raw, kek, "master key " + id + " in the keystore file");
                assertNoWindow(w.bytes(), kek, "master key in the wrapped key");
            }
        }
        assertNoWindow(raw, dek, "data key in the keystore file");
        assertNoWindow(w.bytes(), dek, "data key in its wrapped form");
    }

    @Test
    @DisplayName("CRY-3: a keystore readable by others is restricted to its owner on open")
    void tightensPermissions() throws Exception {
        new KeystoreKeyProvider(file(), PASS, true).close();
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));
        new KeystoreKeyProvider(file(), PASS, false).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    }

    @Test
    @DisplayName("CRY-3: a data key wraps through DataKey.wrapWith and unwraps to a working key")
    void dataKeyWrapWith() {
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            DataKey key = DataKey.generate(KeyRef.random());
            WrappedKey w = key.wrapWith(p);
            byte[] raw = p.unwrap(w);
            DataKey back = DataKey.of(key.ref(), raw);
            Zeroize.wipe(raw);
            byte[] aad = Aad.of("t", "r");
            assertArrayEquals(new byte[] {1, 2}, Envelope.decrypt(back, Envelope.encrypt(key, new byte[] {1, 2}, aad), aad));
        }
    }

    @Test
    @DisplayName("CRY-3: wrapping and unwrapping on several threads while the master key rotates (online rotation) never fails")
    void concurrentRotation() throws Exception {
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            try {
                List<java.util.concurrent.Future<Integer>> fs = new java.util.ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    int seed = t;
                    fs.add(pool.submit(() -> {
                        int n = 0;
                        List<WrappedKey> mine = new java.util.ArrayList<>();
                        while (!stop.get() || n < 50) {
                            byte[] dek = Bytes.random(seed * 100_000L + n, 32);
                            WrappedKey w = p.wrap(dek);
                            mine.add(w);
                            assertArrayEquals(dek, p.unwrap(w));
                            n++;
                        }
                        for (int i = 0; i < mine.size(); i++) {
                            assertArrayEquals(Bytes.random(seed * 100_000L + i, 32), p.unwrap(mine.get(i)));
                        }
                        return n;
                    }));
                }
                for (int i = 0; i < 3; i++) {
                    p.rotate();
                }
                stop.set(true);
                for (java.util.concurrent.Future<Integer> f : fs) {
                    assertTrue(f.get() >= 50);
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            assertEquals(4, p.kekIds().size());
        }
    }

    /** Reads a KEK straight from the keystore with Bouncy Castle, independently of the provider. */
    private byte[] kekBytes(String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("BCFKS", new BouncyCastleProvider());
        try (InputStream in = Files.newInputStream(file())) {
            ks.load(in, PASS);
        }
        return ks.getKey(alias, PASS).getEncoded();
    }

    /** No 8-byte window of the key occurs in the haystack. */
    private static void assertNoWindow(byte[] haystack, byte[] key, String what) {
        for (int i = 0; i + 8 <= key.length; i++) {
            assertFalse(Bytes.contains(haystack, Bytes.slice(key, i, i + 8)), what + " (bytes " + i + "..)");
        }
    }

    @Test
    @DisplayName("CRY-5: destroying an old master key version removes it from the file for good; the current one cannot be")
    void destroy() {
        byte[] dek = new byte[32];
        dek[0] = 9;
        WrappedKey old;
        String first;
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            first = p.currentKekId();
            old = p.wrap(dek);
            String second = p.rotate();
            assertThrows(IllegalArgumentException.class, () -> p.destroy(second));
            assertThrows(dev.mamori.vault.UnknownKeyException.class, () -> p.destroy("kek-9-00000000"));
            p.destroy(first);
            assertEquals(java.util.List.of(second), p.kekIds());
            assertThrows(dev.mamori.vault.UnknownKeyException.class, () -> p.unwrap(old));
        }
        try (KeystoreKeyProvider reopened = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(1, reopened.kekIds().size());
            assertThrows(dev.mamori.vault.UnknownKeyException.class, () -> reopened.unwrap(old), "gone from the file too");
        }
    }
}

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

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.bc.EncryptedObjectStoreData;
import org.bouncycastle.asn1.bc.ObjectStore;
import org.bouncycastle.asn1.bc.PbkdMacIntegrityCheck;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
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
    private static final byte[] CTX = Aad.of("tenant-a", "records", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "1");

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
            w = p.wrap(dek, CTX);
            assertEquals(kek, w.kekId());
            assertEquals(61, w.length(), "version, nonce, 32 key bytes, tag");
            assertEquals(KeyWrap.FORMAT_VERSION, w.bytes()[0]);
        }
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(kek, p.currentKekId());
            assertArrayEquals(dek, p.unwrap(w, CTX));
        }
    }

    @Test
    @DisplayName("CRY-3: a wrong passphrase seals with a clear message; the file is untouched")
    void wrongPassphrase() throws Exception {
        new KeystoreKeyProvider(file(), PASS, true).close();
        byte[] before = Files.readAllBytes(file());
        VaultSealedException e = assertThrows(VaultSealedException.class,
                () -> new KeystoreKeyProvider(file(), "wrong but long enough".toCharArray(), true));
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
            old = p.wrap(dek, CTX);
            second = p.rotate();
            assertNotEquals(first, second);
            assertTrue(second.startsWith("kek-2-"), second);
            assertEquals(second, p.currentKekId());
            assertEquals(List.of(first, second), p.kekIds());
            assertArrayEquals(dek, p.unwrap(old, CTX));
            WrappedKey fresh = p.wrap(dek, CTX);
            assertEquals(second, fresh.kekId());
            assertFalse(Arrays.equals(old.bytes(), fresh.bytes()));
            assertArrayEquals(dek, p.unwrap(fresh, CTX));
            assertTrue(p.rotate().startsWith("kek-3-"));
        }
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(3, p.kekIds().size());
            assertTrue(p.currentKekId().startsWith("kek-3-"));
            assertArrayEquals(dek, p.unwrap(old, CTX));
            WrappedKey rewrapped = p.rewrap(old, CTX);
            assertEquals(p.currentKekId(), rewrapped.kekId());
            assertArrayEquals(dek, p.unwrap(rewrapped, CTX));
            assertSame(rewrapped, p.rewrap(rewrapped, CTX));
            assertThrows(DecryptionFailedException.class, () -> p.rewrap(old, Aad.of("tenant-b")), "rewrap keeps the binding");
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
            WrappedKey w = p.wrap(Bytes.random(3, 32), CTX);
            assertThrows(UnknownKeyException.class, () -> p.unwrap(new WrappedKey("kek-9-00000000", w.bytes()), CTX));
            assertThrows(DecryptionFailedException.class, () -> p.unwrap(new WrappedKey(w.kekId(), Bytes.flip(w.bytes(), 17)), CTX));
        }
        // a keystore created anew (the old one lost) has a different KEK id even for version 1
        try (KeystoreKeyProvider q = new KeystoreKeyProvider(dir.resolve("other.bcfks"), PASS, true)) {
            try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
                assertNotEquals(p.currentKekId(), q.currentKekId());
                WrappedKey w = p.wrap(new byte[32], CTX);
                assertThrows(UnknownKeyException.class, () -> q.unwrap(w, CTX));
            }
        }
    }

    @Test
    @DisplayName("CRY-3: close() seals: every operation fails closed with vault-sealed")
    void closeSeals() {
        KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true);
        WrappedKey w = p.wrap(new byte[32], CTX);
        p.close();
        assertFalse(p.available());
        KeyProvider sealed = p;
        assertThrows(VaultSealedException.class, sealed::currentKekId);
        assertThrows(VaultSealedException.class, () -> sealed.wrap(new byte[32], CTX));
        assertThrows(VaultSealedException.class, () -> sealed.unwrap(w, CTX));
        assertThrows(VaultSealedException.class, sealed::rotate);
        assertThrows(VaultSealedException.class, () -> sealed.rewrap(w, CTX));
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
            w = p.wrap(dek, CTX);
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
    @DisplayName("CRY-3: a data key wraps through DataKey.wrapWith(provider, context) and unwraps to a working key with that context only")
    void dataKeyWrapWith() {
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            DataKey key = DataKey.generate(KeyRef.random());
            byte[] context = Aad.of("tenant-a", "records", key.ref().keyId().toString(), Integer.toString(key.ref().version()));
            WrappedKey w = key.wrapWith(p, context);
            assertThrows(DecryptionFailedException.class,
                    () -> p.unwrap(w, Aad.of("tenant-a", "records", key.ref().keyId().toString(), "2")));
            byte[] raw = p.unwrap(w, context);
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
                            WrappedKey w = p.wrap(dek, Aad.of("t" + seed, Integer.toString(n)));
                            mine.add(w);
                            assertArrayEquals(dek, p.unwrap(w, Aad.of("t" + seed, Integer.toString(n))));
                            n++;
                        }
                        for (int i = 0; i < mine.size(); i++) {
                            assertArrayEquals(Bytes.random(seed * 100_000L + i, 32), p.unwrap(mine.get(i), Aad.of("t" + seed, Integer.toString(i))));
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
            old = p.wrap(dek, CTX);
            String second = p.rotate();
            assertThrows(IllegalArgumentException.class, () -> p.destroy(second));
            assertThrows(dev.mamori.vault.UnknownKeyException.class, () -> p.destroy("kek-9-00000000"));
            p.destroy(first);
            assertEquals(java.util.List.of(second), p.kekIds());
            assertThrows(dev.mamori.vault.UnknownKeyException.class, () -> p.unwrap(old, CTX));
        }
        try (KeystoreKeyProvider reopened = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(1, reopened.kekIds().size());
            assertThrows(dev.mamori.vault.UnknownKeyException.class, () -> reopened.unwrap(old, CTX), "gone from the file too");
        }
    }

    // ---- context-bound wrapping (key wrap v2) ------------------------------------------------

    @Test
    @DisplayName("CRY-3: a wrapped key unwraps only with its context and KEK: another context, another KEK version, any bit flip fail with decryption-failed")
    void wrappedKeyBoundToContextAndKek() {
        byte[] dek = Bytes.random(8, 32);
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            WrappedKey w = p.wrap(dek, CTX);
            String first = p.currentKekId();
            String second = p.rotate();
            assertArrayEquals(dek, p.unwrap(w, CTX));
            for (byte[] other : List.of(Aad.of("tenant-b", "records", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "1"),
                    Aad.of("tenant-a", "records", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "2"), new byte[0])) {
                assertThrows(DecryptionFailedException.class, () -> p.unwrap(w, other));
            }
            // the same bytes presented as wrapped by the other KEK version
            assertThrows(DecryptionFailedException.class, () -> p.unwrap(new WrappedKey(second, w.bytes()), CTX));
            WrappedKey underSecond = p.wrap(dek, CTX);
            assertThrows(DecryptionFailedException.class, () -> p.unwrap(new WrappedKey(first, underSecond.bytes()), CTX));
            byte[] bytes = w.bytes();
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                WrappedKey bad = new WrappedKey(first, Bytes.flip(bytes, bit));
                int at = bit;
                DecryptionFailedException e = assertThrows(DecryptionFailedException.class, () -> p.unwrap(bad, CTX), "bit " + at);
                assertEquals(DecryptionFailedException.CODE, e.code());
            }
        }
    }

    @Test
    @DisplayName("CRY-3: a legacy AES-KWP wrapped key (40 bytes, made with the real KEK) is refused with a clear message, not unwrapped")
    void legacyKwpWrappedKeyRefused() throws Exception {
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, true)) {
            Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
            kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kekBytes(p.currentKekId()), "AES"));
            byte[] legacy = null;
            for (int seed = 0; legacy == null || legacy[0] == KeyWrap.FORMAT_VERSION; seed++) {
                legacy = kwp.doFinal(Bytes.random(seed, 32));
            }
            assertEquals(40, legacy.length);
            WrappedKey w = new WrappedKey(p.currentKekId(), legacy);
            DecryptionFailedException e = assertThrows(DecryptionFailedException.class, () -> p.unwrap(w, CTX));
            assertTrue(e.getMessage().contains("legacy AES key wrap"), e.getMessage());
            assertThrows(DecryptionFailedException.class, () -> p.unwrap(w, new byte[0]));
        }
    }

    // ---- passphrase and key derivation -------------------------------------------------------

    @Test
    @DisplayName("CRY-3: a passphrase shorter than 16 characters seals with a clear message that does not echo it; nothing is created")
    void minimumPassphraseLength() {
        assertEquals(16, KeystoreKeyProvider.MIN_PASSPHRASE_LENGTH);
        char[] fifteen = "fifteen-chars-x".toCharArray();
        assertEquals(15, fifteen.length);
        VaultSealedException e = assertThrows(VaultSealedException.class, () -> new KeystoreKeyProvider(file(), fifteen, true));
        assertEquals("vault-sealed", e.code());
        assertTrue(e.getMessage().contains("at least 16 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("fifteen"), "the passphrase is not in the message");
        assertFalse(Files.exists(file()));
        new KeystoreKeyProvider(file(), "sixteen-chars-xx".toCharArray(), true).close();
        assertTrue(Files.exists(file()));
    }

    @Test
    @DisplayName("CRY-3: a new keystore's store key is PBKDF2-HMAC-SHA512 with 210,000 iterations and a 64-byte salt, the store AES-256-CCM encrypted and HMAC-SHA512 checked")
    void storeKdfParameters() throws Exception {
        new KeystoreKeyProvider(file(), PASS, true).close();
        StoreKdf kdf = StoreKdf.of(Files.readAllBytes(file()));
        assertEquals(210_000, kdf.macIterations);
        assertEquals(210_000, kdf.encryptionIterations);
        assertEquals(64, kdf.saltLength);
        assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA512, kdf.prf);
        assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA512, kdf.mac);
        assertEquals(NISTObjectIdentifiers.id_aes256_CCM, kdf.encryption);
        // plain load() reads it, with the keys inside
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(32, kekBytes(p.currentKekId()).length);
        }
    }

    @Test
    @DisplayName("CRY-3: a keystore written with Bouncy Castle's old defaults (51,200 iterations) opens unchanged and is re-stored with 210,000 at its next rotation")
    void oldKeystoreUpgradedOnRotate() throws Exception {
        byte[] kek = Bytes.random(40, 32);
        byte[] old = oldFormatKeystore("kek-1-0badc0de", kek);
        assertEquals(51_200, StoreKdf.of(old).macIterations, "the fixture really is the old format");
        byte[] dek = Bytes.random(41, 32);
        WrappedKey w;
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals("kek-1-0badc0de", p.currentKekId());
            w = p.wrap(dek, CTX);
            assertArrayEquals(old, Files.readAllBytes(file()), "opening does not rewrite the file");
            p.rotate();
        }
        StoreKdf kdf = StoreKdf.of(Files.readAllBytes(file()));
        assertEquals(210_000, kdf.macIterations);
        assertEquals(210_000, kdf.encryptionIterations);
        assertEquals(64, kdf.saltLength);
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(2, p.kekIds().size());
            assertArrayEquals(kek, kekBytes("kek-1-0badc0de"), "the old master key survived the re-store");
            assertArrayEquals(dek, p.unwrap(w, CTX));
        }
    }

    @Test
    @DisplayName("CRY-3: an old-format keystore is also re-stored with 210,000 iterations when a master key version is destroyed")
    void oldKeystoreUpgradedOnDestroy() throws Exception {
        byte[] old = oldFormatKeystore("kek-1-0badc0de", Bytes.random(42, 32), "kek-2-0badbeef", Bytes.random(43, 32));
        assertEquals(51_200, StoreKdf.of(old).macIterations);
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals("kek-2-0badbeef", p.currentKekId());
            p.destroy("kek-1-0badc0de");
        }
        assertEquals(210_000, StoreKdf.of(Files.readAllBytes(file())).macIterations);
        try (KeystoreKeyProvider p = new KeystoreKeyProvider(file(), PASS, false)) {
            assertEquals(List.of("kek-2-0badbeef"), p.kekIds());
            assertArrayEquals(Bytes.random(43, 32), kekBytes("kek-2-0badbeef"));
        }
    }

    /**
     * Writes a keystore the way the previous version did: plain store(out, passphrase), Bouncy
     * Castle's defaults.
     *
     * @param aliasesAndKeys alias, key bytes, alias, key bytes, ...
     */
    private byte[] oldFormatKeystore(Object... aliasesAndKeys) throws Exception {
        KeyStore ks = KeyStore.getInstance("BCFKS", new BouncyCastleProvider());
        ks.load(null, null);
        for (int i = 0; i < aliasesAndKeys.length; i += 2) {
            ks.setEntry((String) aliasesAndKeys[i], new KeyStore.SecretKeyEntry(new SecretKeySpec((byte[]) aliasesAndKeys[i + 1], "AES")),
                    new KeyStore.PasswordProtection(PASS));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ks.store(out, PASS);
        Files.createDirectories(file().getParent());
        Files.write(file(), out.toByteArray());
        return out.toByteArray();
    }

    /** The store-level key derivation parameters of a BCFKS file, read with Bouncy Castle's ASN.1 classes. */
    private static final class StoreKdf {
        int macIterations;
        int encryptionIterations;
        int saltLength;
        ASN1ObjectIdentifier prf;
        ASN1ObjectIdentifier mac;
        ASN1ObjectIdentifier encryption;

        static StoreKdf of(byte[] file) throws Exception {
            ObjectStore store = ObjectStore.getInstance(ASN1Primitive.fromByteArray(file));
            PbkdMacIntegrityCheck check = PbkdMacIntegrityCheck.getInstance(store.getIntegrityCheck().getIntegrityCheck());
            PBKDF2Params macKdf = PBKDF2Params.getInstance(check.getPbkdAlgorithm().getParameters());
            EncryptedObjectStoreData data = EncryptedObjectStoreData.getInstance(store.getStoreData());
            PBES2Parameters pbes2 = PBES2Parameters.getInstance(data.getEncryptionAlgorithm().getParameters());
            PBKDF2Params encKdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
            StoreKdf k = new StoreKdf();
            k.macIterations = macKdf.getIterationCount().intValueExact();
            k.encryptionIterations = encKdf.getIterationCount().intValueExact();
            k.saltLength = macKdf.getSalt().length;
            k.prf = macKdf.getPrf().getAlgorithm();
            k.mac = check.getMacAlgorithm().getAlgorithm();
            k.encryption = pbes2.getEncryptionScheme().getAlgorithm();
            return k;
        }
    }
}

package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallTypesTest {

    @Test
    @DisplayName("CRY-2: AAD parts are length-prefixed, so different splits never collide")
    void aadUnambiguous() {
        assertFalse(java.util.Arrays.equals(Aad.of("ab", "c"), Aad.of("a", "bc")));
        assertFalse(java.util.Arrays.equals(Aad.of("a", ""), Aad.of("a")));
        assertArrayEquals(new byte[] {0, 0, 0, 2, 'h', 'i', 0, 0, 0, 0}, Aad.of("hi", ""));
        assertEquals(0, Aad.of().length);
        assertEquals(4 + 6, Aad.of("日本").length);
        assertThrows(NullPointerException.class, () -> Aad.of("a", null));
    }

    @Test
    @DisplayName("CRY-3: key references need a version of at least 1 and count up on rotation")
    void keyRef() {
        UUID id = UUID.randomUUID();
        assertThrows(IllegalArgumentException.class, () -> new KeyRef(id, 0));
        assertThrows(NullPointerException.class, () -> new KeyRef(null, 1));
        KeyRef r = new KeyRef(id, 1);
        assertEquals(new KeyRef(id, 2), r.next());
        assertEquals(id + "/v1", r.toString());
        byte[] b = new byte[20];
        r.writeTo(b, 0);
        assertEquals(r, KeyRef.readFrom(b, 0));
        assertThrows(IllegalStateException.class, () -> new KeyRef(id, Integer.MAX_VALUE).next());
    }

    @Test
    @DisplayName("CRY-3: data keys are 32 bytes, random when generated, and never show their bytes")
    void dataKey() {
        assertThrows(IllegalArgumentException.class, () -> DataKey.of(KeyRef.random(), new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> DataKey.of(KeyRef.random(), null));
        byte[] raw = Bytes.random(1, 32);
        DataKey k = DataKey.of(KeyRef.random(), raw);
        Zeroize.wipe(raw);
        assertArrayEquals(Bytes.random(1, 32), k.secretKey().getEncoded(), "the key copied its bytes");
        assertTrue(k.toString().startsWith("DataKey[") && !k.toString().contains("AES"));
        DataKey a = DataKey.generate(KeyRef.random());
        DataKey b = DataKey.generate(KeyRef.random());
        assertFalse(java.util.Arrays.equals(a.secretKey().getEncoded(), b.secretKey().getEncoded()));
    }

    @Test
    @DisplayName("CRY-3: zeroize clears byte and char arrays and tolerates null")
    void zeroize() {
        byte[] b = {1, 2};
        char[] c = {'a'};
        Zeroize.wipe(b, null);
        Zeroize.wipe(c);
        Zeroize.wipe((char[]) null);
        assertArrayEquals(new byte[2], b);
        assertArrayEquals(new char[1], c);
    }

    @Test
    @DisplayName("CRY-3: secret files are written owner-only; create() refuses to overwrite, replace() replaces atomically")
    void secureFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a/b/secret");
        SecureFiles.create(f, new byte[] {1});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertThrows(FileAlreadyExistsException.class, () -> SecureFiles.create(f, new byte[] {2}));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(f));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        SecureFiles.replace(f, new byte[] {3});
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temporary files left");
        }
    }

    @Test
    @DisplayName("CRY-3: a data key derives separate envelope and stream subkeys (HKDF-SHA256 with distinct labels) once, and keeps them")
    void dataKeySubkeys() throws Exception {
        byte[] raw = Bytes.random(7, 32);
        DataKey k = DataKey.of(KeyRef.random(), raw);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(raw, "HmacSHA256"));
        byte[] stream = mac.doFinal(Bytes.concat("mamori stream v2".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[] {1}));
        byte[] envelope = mac.doFinal(Bytes.concat("mamori envelope v2".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[] {1}));
        assertArrayEquals(stream, k.streamKey().getEncoded());
        assertArrayEquals(new Xaes256Gcm(envelope).k1(), k.envelopeKey().k1(), "the envelope XAES key is the HKDF output");
        assertFalse(java.util.Arrays.equals(new Xaes256Gcm(raw).k1(), k.envelopeKey().k1()), "not the raw key");
        assertFalse(java.util.Arrays.equals(stream, envelope));
        assertFalse(java.util.Arrays.equals(stream, raw));
        assertSame(k.envelopeKey(), k.envelopeKey());
        assertSame(k.streamKey(), k.streamKey());
    }

    @Test
    @DisplayName("CRY-3: DataKey.wrapWith hands the provider the raw key and the caller's context, and clears its copy")
    void dataKeyWrapWithContext() {
        byte[] raw = Bytes.random(8, 32);
        DataKey k = DataKey.of(KeyRef.random(), raw);
        byte[] context = Aad.of("tenant-a", "records");
        byte[][] seen = new byte[2][];
        dev.mamori.vault.spi.KeyProvider p = new dev.mamori.vault.spi.KeyProvider() {
            @Override public String id() { return "test"; }
            @Override public boolean available() { return true; }
            @Override public String currentKekId() { return "kek-1"; }
            @Override public String rotate() { throw new UnsupportedOperationException(); }
            @Override public byte[] unwrap(dev.mamori.vault.spi.WrappedKey w, byte[] c) { throw new UnsupportedOperationException(); }
            @Override public dev.mamori.vault.spi.WrappedKey wrap(byte[] dek, byte[] c) {
                assertArrayEquals(raw, dek);
                seen[0] = dek;
                seen[1] = c;
                return new dev.mamori.vault.spi.WrappedKey("kek-1", new byte[] {1});
            }
        };
        assertEquals("kek-1", k.wrapWith(p, context).kekId());
        assertArrayEquals(context, seen[1]);
        assertArrayEquals(new byte[32], seen[0], "the temporary clear copy was cleared");
        assertThrows(NullPointerException.class, () -> k.wrapWith(p, null));
    }

    @Test
    @DisplayName("CRY-3: keys and nonces come from a DRBG instantiated at 256-bit strength with reseeding, one per thread")
    void drbgStrength() throws Exception {
        java.security.SecureRandom rng = Nonces.strong();
        assertEquals("DRBG", rng.getAlgorithm());
        java.security.DrbgParameters.Instantiation p = (java.security.DrbgParameters.Instantiation) rng.getParameters();
        assertEquals(256, p.getStrength());
        assertEquals(java.security.DrbgParameters.Capability.RESEED_ONLY, p.getCapability());
        assertSame(rng, Nonces.strong());
        java.util.concurrent.atomic.AtomicReference<java.security.SecureRandom> other = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> other.set(Nonces.strong()));
        t.start();
        t.join();
        assertFalse(other.get() == rng, "each thread has its own");
    }

    @Test
    @DisplayName("CRY-3: when the platform cannot give a DRBG of the requested strength, the vault fails closed instead of falling back")
    void drbgFailsClosed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Nonces.newDrbg(512));
        assertTrue(e.getMessage().contains("refusing to use a weaker random source"), e.getMessage());
    }
}

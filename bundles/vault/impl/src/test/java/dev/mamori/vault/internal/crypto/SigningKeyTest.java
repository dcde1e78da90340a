package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultSigner;
import dev.mamori.vault.spi.WrappedKey;

/** The vault's Ed25519 signing key: the standard's vectors, Go's signed notes, and two independent verifiers. */
class SigningKeyTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    java.nio.file.Path dir;

    @Test
    @DisplayName("CRY-3: Ed25519 as RFC 8032 section 7.1 specifies it (tests 1 and 2: key, public key, signature)")
    void rfc8032() {
        String[][] vectors = {
            {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        };
        for (String[] v : vectors) {
            SigningKey k = SigningKey.of(KeyRef.random(), HEX.parseHex(v[0]));
            assertEquals(v[1], HEX.formatHex(k.publicKey()));
            byte[] sig = k.sign(HEX.parseHex(v[2]));
            assertEquals(v[3], HEX.formatHex(sig));
            assertTrue(SigningKey.Verifier.of(HEX.parseHex(v[1])).verify(HEX.parseHex(v[2]), sig));
        }
    }

    @Test
    @DisplayName("AUD-3: a C2SP signed note with Go sumdb/note's test key: the same key ID, verifier key and signature line")
    void goSignedNote() {
        // golang.org/x/mod/sumdb/note note_test.go TestSign: skey PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 || seed)>
        byte[] typedSeed = Base64.getDecoder().decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
        assertEquals(1, typedSeed[0]);
        SigningKey k = SigningKey.of(KeyRef.random(), Arrays.copyOfRange(typedSeed, 1, 33));
        SigningPublicKey pub = new SigningPublicKey(VaultSigner.PLATFORM, SigningPurpose.of("audit.checkpoint"),
                k.ref().keyId().toString(), 1, KeyInfo.State.ACTIVE, k.publicKey(), java.time.Instant.EPOCH, null);
        assertEquals("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", pub.noteVerifierKey("PeterNeumann"));
        String text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
        byte[] sig = k.sign(text.getBytes(StandardCharsets.UTF_8));
        byte[] line = new byte[4 + sig.length];
        int hash = pub.noteKeyHash("PeterNeumann");
        line[0] = (byte) (hash >>> 24);
        line[1] = (byte) (hash >>> 16);
        line[2] = (byte) (hash >>> 8);
        line[3] = (byte) hash;
        System.arraycopy(sig, 0, line, 4, sig.length);
        assertEquals("— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                "— PeterNeumann " + Base64.getEncoder().encodeToString(line));
    }

    @Test
    @DisplayName("CRY-3: a vault signature verifies with the JDK's Ed25519 and Bouncy Castle's Ed25519Signer; a changed byte does not")
    void independentVerifiers() throws Exception {
        SigningKey k = SigningKey.generate(KeyRef.random());
        byte[] msg = "mamori.example/audit\n42\nqUiC5vPBaq9lLvHvdsnBD4WgwSpBRVsAbB5X2L7QdRE=\n".getBytes(StandardCharsets.UTF_8);
        byte[] sig = k.sign(msg);
        assertEquals(64, sig.length);
        // the JDK (SunEC): the raw key behind the fixed SubjectPublicKeyInfo prefix of Ed25519 (RFC 8410)
        byte[] spki = Bytes.concat(HEX.parseHex("302a300506032b6570032100"), k.publicKey());
        PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        assertTrue(jdk(jdkKey, msg, sig));
        assertTrue(bc(k.publicKey(), msg, sig));
        for (int bit : new int[] {0, 7, 100, 511}) {
            assertFalse(jdk(jdkKey, msg, Bytes.flip(sig, bit)), "flipped signature bit " + bit);
            assertFalse(bc(k.publicKey(), msg, Bytes.flip(sig, bit)));
            assertFalse(k.verifier().verify(msg, Bytes.flip(sig, bit)));
        }
        byte[] other = Bytes.flip(msg, 3);
        assertFalse(jdk(jdkKey, other, sig));
        assertFalse(bc(k.publicKey(), other, sig));
        assertFalse(k.verifier().verify(other, sig));
        assertFalse(k.verifier().verify(msg, Arrays.copyOf(sig, 63)));
        assertFalse(SigningKey.generate(KeyRef.random()).verifier().verify(msg, sig), "another key");
        assertArrayEquals(sig, k.sign(msg), "Ed25519 is deterministic: no per-signature nonce to get wrong");
    }

    @Test
    @DisplayName("CRY-3: the seed is wrapped bound to its context; another context (another public key) does not unwrap")
    void wrapping() throws Exception {
        KeystoreKeyProvider p = new KeystoreKeyProvider(dir.resolve("m.bcfks"), "correct horse battery staple".toCharArray(), true);
        try {
            SigningKey k = SigningKey.generate(KeyRef.random());
            byte[] ctx = Aad.of("ctx", Base64.getEncoder().encodeToString(k.publicKey()));
            WrappedKey w = k.wrapWith(p, ctx);
            byte[] seed = p.unwrap(w, ctx);
            assertArrayEquals(k.publicKey(), SigningKey.of(k.ref(), seed).publicKey());
            assertFalse(Bytes.contains(w.bytes(), seed), "the seed is not in the wrapped bytes");
            assertThrows(DecryptionFailedException.class, () -> p.unwrap(w, Aad.of("ctx", "another public key")));
            assertFalse(k.toString().contains(HEX.formatHex(seed)));
            assertThrows(IllegalArgumentException.class, () -> SigningKey.of(k.ref(), new byte[31]));
        } finally {
            p.close();
        }
    }

    private static boolean jdk(PublicKey key, byte[] msg, byte[] sig) throws Exception {
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(key);
        v.update(msg);
        try {
            return v.verify(sig);
        } catch (java.security.SignatureException e) {
            return false; // SunEC refuses an R that is no point with an exception
        }
    }

    private static boolean bc(byte[] publicKey, byte[] msg, byte[] sig) {
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        v.update(msg, 0, msg.length);
        return v.verifySignature(sig);
    }
}

package dev.mamori.audit.proof;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * C2SP signed notes with Ed25519 keys, verified with the JDK alone: a note is its text (lines
 * ending in newlines), an empty line, then signature lines {@code — <key name> base64(key hash ||
 * signature)}. A verifier key is {@code <name>+<key hash, 8 hex>+base64(0x01 || public key)}, the
 * form the Go checksum database publishes. This is how a tenant or an auditor checks a checkpoint
 * without Mamori's code.
 */
public final class SignedNote {
    private static final byte ED25519 = 0x01;
    private static final String DASH = "\u2014 ";
    /** SubjectPublicKeyInfo of a raw Ed25519 key (RFC 8410), to hand the JDK its 32 bytes. */
    private static final byte[] SPKI = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private SignedNote() {
    }

    /**
     * @param text      the signed text (ends with a newline)
     * @param keyName   the key's name
     * @param keyHash   the key's hash (see {@link #keyHash})
     * @param signature the Ed25519 signature of the text
     * @return the note
     */
    public static String format(String text, String keyName, int keyHash, byte[] signature) {
        if (!text.endsWith("\n") || text.contains("\n\n")) {
            throw new IllegalArgumentException("A note's text is lines ending in newlines, none empty.");
        }
        byte[] line = new byte[4 + signature.length];
        line[0] = (byte) (keyHash >>> 24);
        line[1] = (byte) (keyHash >>> 16);
        line[2] = (byte) (keyHash >>> 8);
        line[3] = (byte) keyHash;
        System.arraycopy(signature, 0, line, 4, signature.length);
        return text + "\n" + DASH + keyName + " " + Base64.getEncoder().encodeToString(line) + "\n";
    }

    /**
     * @param keyName   a key's name
     * @param publicKey its raw Ed25519 public key
     * @return its C2SP key hash: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || key)
     */
    public static int keyHash(String keyName, byte[] publicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(keyName.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0x0A);
            sha.update(ED25519);
            sha.update(publicKey);
            byte[] h = sha.digest();
            return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    /**
     * @param note        a signed note
     * @param verifierKey {@code <name>+<hash>+<base64(0x01 || key)>}
     * @return the note's text if that key signed it; empty otherwise (unsigned, signed by another
     *         key, forged, or not a note)
     */
    public static Optional<String> open(String note, String verifierKey) {
        // name and hash end at the first two '+'; the base64 key may hold more of them
        String[] vk = verifierKey == null ? new String[0] : verifierKey.split("\\+", 3);
        if (vk.length != 3 || note == null) {
            return Optional.empty();
        }
        byte[] typed;
        int hash;
        try {
            typed = Base64.getDecoder().decode(vk[2]);
            hash = Integer.parseUnsignedInt(vk[1], 16);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (typed.length != 33 || typed[0] != ED25519 || vk[1].length() != 8) {
            return Optional.empty();
        }
        byte[] key = Arrays.copyOfRange(typed, 1, 33);
        if (keyHash(vk[0], key) != hash) {
            return Optional.empty();
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            return Optional.empty();
        }
        String text = note.substring(0, split + 1);
        for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
            if (!line.startsWith(DASH + vk[0] + " ")) {
                continue;
            }
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(line.substring(DASH.length() + vk[0].length() + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (sig.length != 68 || (((sig[0] & 0xff) << 24) | ((sig[1] & 0xff) << 16) | ((sig[2] & 0xff) << 8) | (sig[3] & 0xff)) != hash) {
                continue;
            }
            if (verify(key, text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(sig, 4, 68))) {
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    private static boolean verify(byte[] key, byte[] message, byte[] signature) {
        try {
            byte[] spki = new byte[SPKI.length + key.length];
            System.arraycopy(SPKI, 0, spki, 0, SPKI.length);
            System.arraycopy(key, 0, spki, SPKI.length, key.length);
            PublicKey pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(pk);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

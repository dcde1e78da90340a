package dev.mamori.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The public half of one signing key version, for verifying its signatures anywhere, offline too:
 * the raw 32-byte Ed25519 public key (RFC 8032), with its key id, version and validity. The vault
 * hands it out only after authenticating it under the master key (it is bound into the wrapping of
 * its private key), so a public key changed in the database is never exported or trusted.
 *
 * <p>For C2SP signed notes (tlog checkpoints) a key is named by the log, e.g.
 * {@code mamori.example/audit/<tenant>}: {@link #noteKeyHash(String)} and
 * {@link #noteVerifierKey(String)} give its key ID and verifier key under that name.
 */
public final class SigningPublicKey {
    /** Length of a raw Ed25519 public key. */
    public static final int LENGTH = 32;
    /** The C2SP signed-note signature type of Ed25519. */
    private static final byte NOTE_ED25519 = 0x01;

    private final String owner;
    private final SigningPurpose purpose;
    private final String keyId;
    private final int version;
    private final KeyInfo.State state;
    private final byte[] publicKey;
    private final Instant validFrom;
    private final Instant validUntil;

    /**
     * @param owner      a tenant id, or {@link VaultSigner#PLATFORM}
     * @param purpose    purpose
     * @param keyId      key id (the same for every version)
     * @param version    version
     * @param state      ACTIVE (signs) or RETIRED (verifies only)
     * @param publicKey  the 32-byte Ed25519 public key, copied
     * @param validFrom  when this version started signing
     * @param validUntil when a newer version took over, or null while it signs
     */
    public SigningPublicKey(String owner, SigningPurpose purpose, String keyId, int version, KeyInfo.State state,
            byte[] publicKey, Instant validFrom, Instant validUntil) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.version = version;
        this.state = Objects.requireNonNull(state, "state");
        if (publicKey == null || publicKey.length != LENGTH) {
            throw new IllegalArgumentException("An Ed25519 public key has " + LENGTH + " bytes.");
        }
        this.publicKey = publicKey.clone();
        this.validFrom = Objects.requireNonNull(validFrom, "validFrom");
        this.validUntil = validUntil;
    }

    /** @return a tenant id, or {@link VaultSigner#PLATFORM} */
    public String owner() {
        return owner;
    }

    /** @return the purpose */
    public SigningPurpose purpose() {
        return purpose;
    }

    /** @return the key id */
    public String keyId() {
        return keyId;
    }

    /** @return the version */
    public int version() {
        return version;
    }

    /** @return ACTIVE while it signs, RETIRED once a newer version does (it still verifies) */
    public KeyInfo.State state() {
        return state;
    }

    /** @return the raw 32-byte Ed25519 public key (a copy) */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** @return when it started signing */
    public Instant validFrom() {
        return validFrom;
    }

    /** @return when it stopped signing (rotated), empty while it signs */
    public Optional<Instant> validUntil() {
        return Optional.ofNullable(validUntil);
    }

    /**
     * The key ID of this key in a C2SP signed note: the first 4 bytes of
     * SHA-256(name || 0x0A || 0x01 || public key), as a big-endian unsigned 32-bit number.
     *
     * @param name the key name the note's signature lines use (non-empty, no spaces, no '+')
     * @return the key ID (the 4 bytes big-endian; compare with {@link Integer#toUnsignedString})
     * @throws IllegalArgumentException if {@code name} is not a valid key name
     */
    public int noteKeyHash(String name) {
        checkNoteName(name);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0x0A);
            sha.update(NOTE_ED25519);
            sha.update(publicKey);
            byte[] h = sha.digest();
            return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    /**
     * The C2SP verifier key of this key: {@code <name>+<key ID, 8 hex digits>+<base64(0x01 || public key)>},
     * what a verifier (Go's {@code golang.org/x/mod/sumdb/note}, a witness) is given.
     *
     * @param name the key name
     * @return the verifier key
     */
    public String noteVerifierKey(String name) {
        byte[] typed = new byte[LENGTH + 1];
        typed[0] = NOTE_ED25519;
        System.arraycopy(publicKey, 0, typed, 1, LENGTH);
        return name + "+" + String.format("%08x", noteKeyHash(name)) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** A C2SP key name: non-empty UTF-8 without Unicode spaces and without '+'. */
    private static void checkNoteName(String name) {
        boolean ok = name != null && !name.isEmpty() && name.indexOf('+') < 0
                && name.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85
                        || Character.getType(c) == Character.SURROGATE);
        if (!ok) {
            throw new IllegalArgumentException("A note key name is non-empty, without spaces and without '+': " + name);
        }
    }

    @Override
    public String toString() {
        return "SigningPublicKey[" + owner + " " + purpose + " " + keyId + " v" + version + " " + state + "]";
    }
}

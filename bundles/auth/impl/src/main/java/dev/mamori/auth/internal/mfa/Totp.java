package dev.mamori.auth.internal.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.util.encoders.Base32;

/**
 * Time-based one-time passwords, RFC 6238 with the parameters every stock authenticator app
 * understands: HMAC-SHA1, 6 digits, 30-second steps, 160-bit secrets (IAM-11). Written on the
 * JDK's HMAC: the algorithm is a dozen lines of RFC 4226, and the libraries for it are unmaintained
 * or pull in QR and HTTP code of their own.
 */
public final class Totp {
    /** Digits of a code. */
    public static final int DIGITS = 6;
    /** Seconds per time step. */
    public static final long STEP_SECONDS = 30;
    /** Steps accepted either side of the current one (clock drift, typing time). */
    public static final int WINDOW = 1;
    /** Bytes of a new secret (RFC 4226 recommends 160 bits). */
    public static final int SECRET_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int[] POWERS = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

    private Totp() {
    }

    /** @return a new random secret */
    public static byte[] newSecret() {
        byte[] s = new byte[SECRET_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }

    /**
     * @param now an instant
     * @return its time step
     */
    public static long step(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), STEP_SECONDS);
    }

    /**
     * @param secret the shared secret
     * @param step   the time step (RFC 4226's counter)
     * @param digits code length, 6..8
     * @return the code, zero-padded
     */
    public static String code(byte[] secret, long step, int digits) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("6 to 8 digits");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int off = h[h.length - 1] & 0xf;
            int bin = ((h[off] & 0x7f) << 24) | ((h[off + 1] & 0xff) << 16) | ((h[off + 2] & 0xff) << 8) | (h[off + 3] & 0xff);
            String s = Integer.toString(bin % POWERS[digits]);
            return "0".repeat(digits - s.length()) + s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from the JDK", e);
        }
    }

    /**
     * Checks a code within ±{@value #WINDOW} step of {@code now}, accepting each step once only.
     *
     * @param secret   the shared secret
     * @param code     what the user typed (spaces ignored)
     * @param now      the current time
     * @param lastUsed the last step a code was accepted for, or {@link Long#MIN_VALUE}; codes of it or
     *                 earlier steps are refused, so a code seen over a shoulder cannot be used again
     * @return the accepted step (store it as the new {@code lastUsed}), or empty
     */
    public static OptionalLong verify(byte[] secret, String code, Instant now, long lastUsed) {
        if (code == null) {
            return OptionalLong.empty();
        }
        String c = code.replace(" ", "");
        if (c.length() != DIGITS || !c.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return OptionalLong.empty();
        }
        long current = step(now);
        long accepted = Long.MIN_VALUE;
        // every step of the window is computed and compared in constant time, whatever matches
        for (long s = current - WINDOW; s <= current + WINDOW; s++) {
            boolean match = MessageDigest.isEqual(code(secret, s, DIGITS).getBytes(StandardCharsets.US_ASCII),
                    c.getBytes(StandardCharsets.US_ASCII));
            if (match && s > lastUsed && accepted == Long.MIN_VALUE) {
                accepted = s;
            }
        }
        return accepted == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(accepted);
    }

    /**
     * @param secret a secret
     * @return its Base32 form without padding, as authenticator apps expect
     */
    public static String base32(byte[] secret) {
        return new String(Base32.encode(secret), StandardCharsets.US_ASCII).replace("=", "");
    }

    /**
     * The enrolment URI of the Key URI Format that authenticator apps scan.
     *
     * @param issuer  who issues it (the service's name)
     * @param account the account's label (the login name, never personal data)
     * @param secret  the secret
     * @return {@code otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30}
     */
    public static String otpauthUri(String issuer, String account, byte[] secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.mamori.auth.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * High-entropy secrets handed to a user once and kept only as a SHA-256 hash (IAM-14): session
 * tokens and password-reset tokens (256 bits), MFA recovery codes (10 × 60 bits). A slow hash
 * such as bcrypt guards guessable passwords; these cannot be guessed, and a fast hash lets any
 * node look a token up by its hash in one indexed query (OPS-4).
 */
public final class Secrets {
    /** Recovery codes issued at once. */
    public static final int RECOVERY_CODES = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    // Crockford's Base32 without I, L, O, U: nothing to misread when typed from paper
    private static final char[] CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Secrets() {
    }

    /** @return a new 256-bit token, base64url without padding (43 characters) */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * @param token what a client presented
     * @return whether it has the form of a token (checked before any lookup)
     */
    public static boolean isToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /**
     * @param secret a token or recovery code (recovery codes are normalised first)
     * @return its SHA-256 in lower-case hex, what is stored
     */
    public static String hash(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(64);
            for (byte x : d) {
                sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /**
     * The CSRF token of a session (SEC-6): derived from the session token, which the browser keeps
     * in an HttpOnly cookie, so a page of another site can neither read nor compute it, and no
     * second value needs storing.
     *
     * @param sessionToken the session token
     * @return the token the client sends back in {@code X-CSRF-Token}
     */
    public static String csrfToken(String sessionToken) {
        return hash("mamori-csrf\0" + sessionToken);
    }

    /** @return {@value #RECOVERY_CODES} new recovery codes such as {@code 7K2M-Q9RT-4HXA}: three groups of four, 60 bits each */
    public static List<String> newRecoveryCodes() {
        List<String> out = new ArrayList<>(RECOVERY_CODES);
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder sb = new StringBuilder(14);
            for (int j = 0; j < 12; j++) {
                if (j > 0 && j % 4 == 0) {
                    sb.append('-');
                }
                sb.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * @param typed a recovery code as typed: any case, with or without dashes and spaces, and
     *              Crockford's look-alikes (O for 0, I and L for 1)
     * @return its canonical form (hash this), or null if it cannot be one
     */
    public static String normaliseRecoveryCode(String typed) {
        if (typed == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(12);
        for (char c : typed.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            char d = c == 'O' ? '0' : (c == 'I' || c == 'L') ? '1' : c;
            if (new String(CODE_ALPHABET).indexOf(d) < 0 || sb.length() == 12) {
                return null;
            }
            sb.append(d);
        }
        if (sb.length() != 12) {
            return null;
        }
        return sb.substring(0, 4) + "-" + sb.substring(4, 8) + "-" + sb.substring(8);
    }
}

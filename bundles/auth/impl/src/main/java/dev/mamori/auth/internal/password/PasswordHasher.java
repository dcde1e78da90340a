package dev.mamori.auth.internal.password;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt hashes (IAM-7) through Bouncy Castle's {@link OpenBSDBCrypt}, version {@code 2b}.
 *
 * <p>Passwords are normalised to Unicode NFKC first (NIST SP 800-63B 5.1.1.2), so that the
 * full-width letters a Japanese input method may produce equal their ASCII forms. bcrypt reads at
 * most 72 bytes and Bouncy Castle silently cuts longer input; Mamori never cuts: a password of more
 * than {@value #MAX_BYTES} UTF-8 bytes is refused when set (see {@link PasswordRules}) and never
 * matches at sign-in. Pre-hashing would lift the limit but brings its own traps (NUL bytes in a
 * binary digest, hashes that can be "shucked" with leaked unsalted ones); 72 bytes are 72 ASCII
 * characters or 24 Japanese ones, enough for a passphrase.
 */
public final class PasswordHasher {
    /** The most UTF-8 bytes bcrypt reads. */
    public static final int MAX_BYTES = 72;
    /** The lowest cost Mamori accepts. */
    public static final int MIN_COST = 10;
    /** The highest cost bcrypt allows. */
    public static final int MAX_COST = 31;
    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int cost;
    private final String dummy;

    /** @param cost the bcrypt cost (log2 of the rounds), {@value #MIN_COST}..{@value #MAX_COST} */
    public PasswordHasher(int cost) {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be " + MIN_COST + ".." + MAX_COST + ", not " + cost);
        }
        this.cost = cost;
        // compared against for unknown accounts, so that they cost what a real check costs
        this.dummy = hash(randomPassword());
    }

    /** @return the configured cost */
    public int cost() {
        return cost;
    }

    /**
     * @param password a password that passed {@link PasswordRules}
     * @return its bcrypt hash at the configured cost
     * @throws IllegalArgumentException if it is longer than {@value #MAX_BYTES} bytes after normalisation
     */
    public String hash(char[] password) {
        byte[] bytes = normalised(password);
        try {
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException("A password is at most " + MAX_BYTES + " bytes in UTF-8.");
            }
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            return OpenBSDBCrypt.generate("2b", bytes, salt, cost);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * @param password what the caller typed
     * @param hash     the stored hash, or null for an unknown account (a dummy hash is checked
     *                 instead, so the answer takes as long)
     * @return whether the password matches; never for an unknown account or an over-long password
     */
    public boolean verify(char[] password, String hash) {
        byte[] bytes = normalised(password);
        try {
            boolean known = hash != null && HASH.matcher(hash).matches();
            boolean fits = bytes.length <= MAX_BYTES;
            byte[] checked = fits ? bytes : Arrays.copyOf(bytes, MAX_BYTES);
            try {
                boolean match = OpenBSDBCrypt.checkPassword(known ? hash : dummy, checked);
                return known && fits && match;
            } finally {
                Arrays.fill(checked, (byte) 0);
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * @param hash a stored hash
     * @return whether it was made at a lower cost than the configured one (re-hash at the next
     *         successful sign-in), or is not a bcrypt hash at all
     */
    public boolean needsRehash(String hash) {
        Matcher m = hash == null ? null : HASH.matcher(hash);
        return m == null || !m.matches() || Integer.parseInt(m.group(1)) < cost;
    }

    /**
     * @param password a password
     * @return its NFKC form in UTF-8 (the caller clears it)
     */
    static byte[] normalised(char[] password) {
        String n = Normalizer.normalize(java.nio.CharBuffer.wrap(password), Normalizer.Form.NFKC);
        return n.getBytes(StandardCharsets.UTF_8);
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b).toCharArray();
    }
}

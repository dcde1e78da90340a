package dev.mamori.auth.internal.password;

/**
 * The rules one password must meet. The platform's policy per role level is the floor; a tenant's
 * own settings can only {@link #tightenedBy tighten} it (IAM-6).
 */
public final class PasswordPolicy {
    /** Ordinary users: at least 8 characters with upper case, lower case and digits (IAM-6). */
    public static final PasswordPolicy ORDINARY = new PasswordPolicy(8, 64, false);
    /** Tenant administrators and platform roles: at least 12, same classes (IAM-6, IAM-10). */
    public static final PasswordPolicy PRIVILEGED = new PasswordPolicy(12, 64, false);

    private final int minLength;
    private final int maxLength;
    private final boolean requireSpecial;

    /**
     * @param minLength      fewest characters, at least 8
     * @param maxLength      most characters, at least {@code minLength}; bcrypt's 72 bytes apply as well
     * @param requireSpecial whether a character that is no letter or digit is required too
     */
    public PasswordPolicy(int minLength, int maxLength, boolean requireSpecial) {
        if (minLength < 8 || maxLength < minLength || maxLength > PasswordHasher.MAX_BYTES) {
            throw new IllegalArgumentException("A password policy needs 8 <= minimum <= maximum <= "
                    + PasswordHasher.MAX_BYTES + ", not " + minLength + ".." + maxLength);
        }
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.requireSpecial = requireSpecial;
    }

    /** @return fewest characters */
    public int minLength() {
        return minLength;
    }

    /** @return most characters */
    public int maxLength() {
        return maxLength;
    }

    /** @return whether a special character is required */
    public boolean requireSpecial() {
        return requireSpecial;
    }

    /**
     * @param tenant a tenant's wishes
     * @return the stricter of this policy and the tenant's in every respect: a tenant can raise the
     *         minimum or require special characters, never loosen the floor
     */
    public PasswordPolicy tightenedBy(PasswordPolicy tenant) {
        int min = Math.max(minLength, tenant.minLength);
        return new PasswordPolicy(min, Math.max(min, Math.min(maxLength, tenant.maxLength)),
                requireSpecial || tenant.requireSpecial);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordPolicy && ((PasswordPolicy) o).minLength == minLength
                && ((PasswordPolicy) o).maxLength == maxLength && ((PasswordPolicy) o).requireSpecial == requireSpecial;
    }

    @Override
    public int hashCode() {
        return minLength * 31 * 31 + maxLength * 31 + (requireSpecial ? 1 : 0);
    }

    @Override
    public String toString() {
        return "PasswordPolicy[" + minLength + ".." + maxLength + (requireSpecial ? ", special" : "") + "]";
    }
}

package dev.mamori.platform.context;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named reason for the platform to reach a tenant's data outside that tenant's own use
 * (retention purge, export for the customer, re-encryption, restore). Declared once as a
 * constant by the capability that needs it; every use is published as an event.
 */
public final class PlatformPurpose {
    private static final Pattern CODE = Pattern.compile("[a-z]+(\\.[a-z0-9-]+)+");
    private final String code;
    private final String description;

    private PlatformPurpose(String code, String description) {
        if (code == null || code.length() > 64 || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("A platform purpose is dotted lower-case words, e.g. vault.reencrypt: " + code);
        }
        this.code = code;
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * @param code        dotted lower-case words, capability first, e.g. {@code vault.reencrypt}
     * @param description why the platform needs the data
     * @return the purpose
     */
    public static PlatformPurpose of(String code, String description) {
        return new PlatformPurpose(code, description);
    }

    /** @return the code */
    public String code() {
        return code;
    }

    /** @return why */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlatformPurpose && ((PlatformPurpose) o).code.equals(code);
    }

    @Override
    public int hashCode() {
        return code.hashCode();
    }

    @Override
    public String toString() {
        return code;
    }
}

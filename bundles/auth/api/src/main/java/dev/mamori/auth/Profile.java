package dev.mamori.auth;

/**
 * A person's personal data (IAM-4). Held only on the {@code mamori-pii} DataSource, encrypted with
 * the person's own key (CRY-4). Any field may be null.
 *
 * @param fullName full name
 * @param email    e-mail address; sign-in by e-mail looks it up through a keyed blind index
 * @param location office or location
 * @param timeZone IANA time zone id, e.g. {@code Asia/Tokyo}
 * @param locale   BCP 47 language tag, e.g. {@code ja-JP}
 */
public record Profile(String fullName, String email, String location, String timeZone, String locale) {
    /** An empty profile. */
    public static final Profile EMPTY = new Profile(null, null, null, null, null);
}

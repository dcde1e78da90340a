package dev.mamori.auth;

/**
 * How to reach one of a tenant's people, decrypted from the personal-data store for one delivery
 * and never kept (NTF-1, CRY-4).
 *
 * @param userId      the account
 * @param email       the address, or null when the profile has none
 * @param displayName the full name, or null
 * @param locale      the profile's locale tag (e.g. {@code ja-JP}), or null
 * @since 2.3
 */
public record Contact(String userId, String email, String displayName, String locale) {
}

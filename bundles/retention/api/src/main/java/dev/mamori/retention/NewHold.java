package dev.mamori.retention;

/**
 * A legal hold to place.
 *
 * @param tenant the tenant (id or slug); operators name it, a tenant's admins place holds on their own
 *               tenant only (null or their own)
 * @param scope  what it covers
 * @param value  the category's name or the employee number; absent for {@link HoldScope#TENANT}
 * @param reason why: 1-500 characters, one line (a case number, a request), no personal data
 */
public record NewHold(String tenant, HoldScope scope, String value, String reason) {
}

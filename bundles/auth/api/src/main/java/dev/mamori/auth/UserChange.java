package dev.mamori.auth;

/**
 * A change of an account's names and personal data; a null field stays as it is.
 *
 * @param loginName      new login name, or null
 * @param employeeNumber new employee number, or null
 * @param profile        new personal data (replaces the whole profile), or null
 */
public record UserChange(String loginName, String employeeNumber, Profile profile) {
}

package dev.mamori.auth;

import java.util.Set;

/**
 * What a tenant admin gives to create an account (IAM-1).
 *
 * @param loginName       login name, unique in the tenant
 * @param employeeNumber  employee number, unique in the tenant (IAM-3)
 * @param roles           tenant roles
 * @param profile         personal data (may be {@link Profile#EMPTY})
 * @param initialPassword first password, checked against the rules of the roles (IAM-6); the
 *                        caller clears the array after the call. Null: the account cannot sign in
 *                        until a password is set with a reset token (so an operator who creates a
 *                        tenant's first admin never knows its password)
 */
public record NewUser(String loginName, String employeeNumber, Set<String> roles, Profile profile, char[] initialPassword) {
}

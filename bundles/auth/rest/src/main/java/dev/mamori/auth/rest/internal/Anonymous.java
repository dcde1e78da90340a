package dev.mamori.auth.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method that needs no session (sign-in, reset): every session token that comes with the
 * request, valid or not, is ignored there, so it runs as for a browser without a cookie: without a
 * principal, without a CSRF check and past the MFA gate (F6). Mark only methods that act on
 * credentials in their body, never on a session's authority.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Anonymous {
}

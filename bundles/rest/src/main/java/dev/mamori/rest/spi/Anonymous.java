package dev.mamori.rest.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A public resource method: it needs no session, and every session token that comes with the
 * request, valid or not, is ignored there, so it runs as for a caller without one: no principal,
 * no CSRF check, past the MFA slot. Mark only methods that act on credentials in their body
 * (sign-in, password reset) or that show nothing but public facts, never on a session's authority.
 * Methods without it run with whatever principal the authentication slot found, and services
 * refuse the anonymous (fail closed).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ProviderType
public @interface Anonymous {
}

package dev.mamori.auth.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.mamori.auth.SessionState;

/**
 * A resource method that a session not yet fully signed in may call: the MFA filter lets the named
 * states through and refuses them everywhere else (IAM-11: until enrolled, nothing but enrolling).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface SignInStep {
    /** @return the partial states allowed */
    SessionState[] value();
}

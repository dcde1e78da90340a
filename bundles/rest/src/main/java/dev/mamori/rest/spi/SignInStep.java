package dev.mamori.rest.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;

import dev.mamori.platform.context.Assurance;

/**
 * A resource method that a principal half-way through signing in may call: the filter in the
 * {@value RestConstants#SLOT_MFA} slot lets a principal whose
 * {@link dev.mamori.platform.context.Principal#assurance() assurance} is one of these through, and
 * refuses every other incomplete one (IAM-10, IAM-11: until the second factor is verified or
 * enrolled, nothing but that step). Methods without it are for {@link Assurance#COMPLETE} principals
 * (and the anonymous) only.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ProviderType
public @interface SignInStep {
    /** @return the incomplete assurances allowed here */
    Assurance[] value();
}

package dev.mamori.rest.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The permission a resource method needs (IAM-2, SEC-11), e.g. {@code records:read}: the filter in
 * the {@value RestConstants#SLOT_PERMISSION} slot checks it for the caller in the execution context
 * before the method runs (401 without a principal, 403 without the permission). On the class it
 * applies to every method that does not name its own. Services still check what they guard; this
 * answers early and uniformly, and it is what a capability declares instead of a check of its own
 * in every method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@ProviderType
public @interface RequiresPermission {
    /** @return a permission, as the permission slot's filter understands it ({@code domain:action[:scope]}) */
    String value();

    /**
     * @return whether a grant of the permission in any scope lets the call through: for a method that
     *         touches things of many scopes (records of several departments) and whose service checks
     *         each thing's own scope; {@link #value()} then names {@code domain:action} only
     */
    boolean anyScope() default false;
}

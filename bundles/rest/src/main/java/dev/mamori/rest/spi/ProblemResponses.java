package dev.mamori.rest.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.mamori.platform.error.ErrorKind;

/**
 * The kinds of error a resource method may answer with. The REST server documents each kind in
 * {@code /openapi.json} the one way it answers it: the status the kind maps to, an
 * {@value RestConstants#PROBLEM_JSON} body with the {@code Problem} schema, {@code Retry-After} for
 * {@link ErrorKind#TOO_MANY_REQUESTS} and {@link ErrorKind#UNAVAILABLE}, and a description of the
 * kind - so that no resource repeats those lines in {@code @ApiResponse} annotations. On a resource
 * class it applies to each of its methods; the kinds of class and method add up. A response the
 * method documents itself (an {@code @ApiResponse} of the same status) is kept as it is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ProblemResponses {
    /** @return the kinds of error, each documented once */
    ErrorKind[] value();
}

package dev.mamori.rest.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The largest request body a resource method accepts, in bytes (SEC-10), where it needs another
 * than the server's default ({@code dev.mamori.rest} {@code max.body.bytes}, 1 MiB as shipped):
 * an attachment upload more, a small form less. On the class it applies to every method that does
 * not name its own. Enforced exactly, for a {@code Content-Length} and for a streamed (chunked)
 * body alike: 413 problem+json {@code payload-too-large} one byte past it.
 *
 * <p>No method may lift the limit past the server's ceiling ({@code dev.mamori.rest}
 * {@code max.body.bytes.ceiling}, 32 MiB as shipped), which the operator sets: a larger value gets
 * the ceiling, and the REST server logs a warning naming the method when it serves it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@ProviderType
public @interface BodyLimit {
    /** @return the largest body in bytes, at least 0 */
    long value();
}

package dev.mamori.shell.spi;

import java.util.Collection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The values a command argument can take, for the shell's completion. Whiteboard: the capability that
 * owns the values registers it as an OSGi service with {@value #KIND} naming what they are; the
 * completers of this package (such as {@link TenantCompleter}) ask it, so that the commands of every
 * bundle complete alike without importing that capability.
 */
@ConsumerType
public interface CompletionSource {
    /** Service property naming what the values are, e.g. {@value #TENANT}. */
    String KIND = "mamori.completion";
    /** Kind of the tenants' slugs, completed by {@link TenantCompleter}; the tenant capability provides it. */
    String TENANT = "tenant";

    /** @return the current values; called at each completion, so it answers quickly and never throws */
    Collection<String> values();
}

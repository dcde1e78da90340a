package dev.mamori.tenant.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for tenant lifecycle transitions: register a service of this type and
 * it is told of every committed transition (for example: shred keys on DELETED, purge data
 * before PURGED). A listener that throws is logged; it cannot undo the transition.
 */
@ConsumerType
public interface TenantLifecycleListener {

    /** @param transition what happened */
    void onTransition(TenantTransition transition);
}

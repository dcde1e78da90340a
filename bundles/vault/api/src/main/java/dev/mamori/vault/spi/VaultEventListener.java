package dev.mamori.vault.spi;

import org.osgi.annotation.versioning.ConsumerType;

import dev.mamori.vault.VaultEvent;

/**
 * Whiteboard listener for every key operation (created, rotated, re-wrapped, destroyed, sealed,
 * unsealed), so that the audit log records them. Events never carry key material. A listener
 * that throws is logged; it cannot undo the operation.
 */
@ConsumerType
public interface VaultEventListener {

    /** @param event what happened */
    void onVaultEvent(VaultEvent event);
}

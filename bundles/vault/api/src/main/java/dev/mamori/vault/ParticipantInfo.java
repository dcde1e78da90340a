package dev.mamori.vault;

import java.util.Objects;

/**
 * A component seen holding vault ciphertext of a purpose.
 *
 * @param name    its {@link dev.mamori.vault.spi.ReEncryptionParticipant#name()}
 * @param purpose the purpose
 * @param running whether it is registered now
 */
public record ParticipantInfo(String name, KeyPurpose purpose, boolean running) {
    /** Validates. */
    public ParticipantInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(purpose, "purpose");
    }
}

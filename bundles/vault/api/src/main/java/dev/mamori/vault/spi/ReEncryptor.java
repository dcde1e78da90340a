package dev.mamori.vault.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Handed to a {@link ReEncryptionParticipant} for one tenant and purpose: decrypts with whichever
 * live data key version a blob names and encrypts under the current version, with the same
 * associated data. Key material never leaves the vault.
 */
@ProviderType
public interface ReEncryptor {

    /**
     * @param blob an envelope blob or the start (header) of a stream of this tenant and purpose
     * @return whether it is already under the job's target version or newer (nothing to do)
     */
    boolean isCurrent(byte[] blob);

    /**
     * @param blob           envelope blob
     * @param associatedData its associated data
     * @return the same plaintext encrypted under the current version
     */
    byte[] reEncrypt(byte[] blob, byte[] associatedData);

    /**
     * Re-encrypts a stream in constant memory. If it fails (tampered source), {@code sink} holds a
     * partial stream: write to a temporary place and replace the original only on success.
     *
     * @param source         encrypted stream
     * @param sink           receives the re-encrypted stream; not closed
     * @param associatedData its associated data
     */
    void reEncrypt(InputStream source, OutputStream sink, byte[] associatedData) throws IOException;
}

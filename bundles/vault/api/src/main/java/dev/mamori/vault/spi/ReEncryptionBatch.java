package dev.mamori.vault.spi;

/**
 * What one batch of a re-encryption did.
 *
 * @param nextCursor  opaque position after the batch (at most 1024 characters), or null when done
 * @param reEncrypted blobs re-encrypted in this batch
 */
public record ReEncryptionBatch(String nextCursor, int reEncrypted) {
    /** Validates. */
    public ReEncryptionBatch {
        if (nextCursor != null && nextCursor.length() > 1024) {
            throw new IllegalArgumentException("A re-encryption cursor is at most 1024 characters.");
        }
        if (reEncrypted < 0) {
            throw new IllegalArgumentException("reEncrypted < 0");
        }
    }
}

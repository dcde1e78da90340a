package dev.mamori.records;

import java.io.InputStream;

/**
 * An attachment's content, decrypted as it is read, in constant memory; close it.
 *
 * @param attachment its metadata
 * @param stream     the content: it fails on any tampering, reordering or truncation of the stored chunks
 */
public record AttachmentContent(Attachment attachment, InputStream stream) implements AutoCloseable {
    @Override
    public void close() throws java.io.IOException {
        stream.close();
    }
}

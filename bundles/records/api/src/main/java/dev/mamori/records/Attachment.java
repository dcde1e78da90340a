package dev.mamori.records;

import java.time.Instant;

/**
 * A file attached to a record: metadata only (its content is read through {@link AttachmentService#open}).
 *
 * @param id        opaque id
 * @param recordId  the record
 * @param name      the file name as given, for display only (never a path)
 * @param mediaType its checked media type
 * @param size      bytes
 * @param sha256    SHA-256 of the content, hex
 * @param createdAt when it was added
 * @param createdBy who added it (opaque id)
 */
public record Attachment(String id, String recordId, String name, String mediaType, long size, String sha256, Instant createdAt,
        String createdBy) {
}
